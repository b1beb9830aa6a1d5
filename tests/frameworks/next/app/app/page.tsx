"use client";
// The test's page: the README's client component, given what the test passes in the page's
// address (the emulator's base URL, a pool id and the emulator's token, so none of them is
// written into the app), and window.check, the bundler matrix's checks (check.js, copied in by
// the test) through the same import of the package.
import { useEffect, useState } from "react";
import * as api from "intune-esim";
import { check } from "./check.js";
import { AssignButton } from "./assign-button";

declare global {
  interface Window {
    check?: (params: Parameters<typeof check>[1]) => ReturnType<typeof check>;
  }
}

export default function Home() {
  const [params, setParams] = useState<URLSearchParams | null>(null);
  useEffect(() => {
    setParams(new URLSearchParams(window.location.search));
    window.check = (p) => check(api, p);
  }, []);
  if (!params) return null;
  return <AssignButton poolId={params.get("poolId") ?? ""} token={params.get("token") ?? ""} baseUrl={params.get("baseUrl") ?? undefined} />;
}
