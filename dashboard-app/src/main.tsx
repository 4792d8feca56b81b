import "@saleor/macaw-ui/style";
import { ThemeProvider } from "@saleor/macaw-ui";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { App } from "./App";
import { BridgeProvider } from "./lib/bridge";

createRoot(document.getElementById("root")!).render(
  <StrictMode>
    <ThemeProvider>
      <BridgeProvider>
        <App />
      </BridgeProvider>
    </ThemeProvider>
  </StrictMode>,
);
