import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";

import { App } from "./App";
import { restoreRoute } from "./lib/route";
import { prefetchReopenedPage } from "./startup";
import "./styles.css";

// Browser tests run the UI without the Rust backend; Vite drops this branch from production builds.
if (import.meta.env.MODE === "mock") {
  await import("./mocks/ipc");
}

restoreRoute();

const client = new QueryClient({ defaultOptions: { queries: { retry: false, refetchOnWindowFocus: false } } });
prefetchReopenedPage(client);
const root = document.getElementById("root");
if (root) {
  createRoot(root).render(
    <StrictMode>
      <QueryClientProvider client={client}>
        <App />
      </QueryClientProvider>
    </StrictMode>,
  );
}
