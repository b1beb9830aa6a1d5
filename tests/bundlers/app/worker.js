// The package in a module worker: each message is one round of checks.
import * as api from "intune-esim";
import { check } from "./check.js";

self.onmessage = async ({ data }) => self.postMessage(await check(api, data));
