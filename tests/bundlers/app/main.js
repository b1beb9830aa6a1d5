// The page of every scenario but the worker's: the package by its name, as a portal imports it.
import * as api from "intune-esim";
import { check } from "./check.js";

window.check = (params) => check(api, params);
