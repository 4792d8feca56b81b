// AppBridge: the Dashboard hands the app its token (handshake, tokenRefresh) and takes actions
// (notifications, redirects). The framework-free AppBridge class of @saleor/app-sdk, with its
// React provider; nothing is kept outside memory.
import { actions, AppBridge, AppBridgeProvider, useAppBridge } from "@saleor/app-sdk/app-bridge";
import { createContext, useContext, useMemo, type ReactNode } from "react";

export type Bridge = {
  ready: boolean;
  token: string | undefined;
  saleorApiUrl: string;
  dashboardUrl: string;
  theme: "light" | "dark";
  permissions: string[]; // the token's (narrowed) permissions
  notify: (status: "success" | "error" | "info" | "warning", title: string, text?: string) => void;
  redirect: (to: string, newContext?: boolean) => void;
  closePopup: () => void;
  resize: (height: number) => void;
  route: (path: string) => void; // the Dashboard keeps it in its URL (reload, back, share)
};

let instance: AppBridge | undefined;

export function appBridge(): AppBridge | undefined {
  if (instance === undefined && typeof window !== "undefined" && window.parent !== window) {
    instance = new AppBridge({ autoNotifyReady: true });
  }
  return instance;
}

const BridgeContext = createContext<Bridge | null>(null);

function send(action: Parameters<AppBridge["dispatch"]>[0]) {
  appBridge()?.dispatch(action).catch(() => undefined);
}

function BridgeState({ children }: { children: ReactNode }) {
  const { appBridgeState } = useAppBridge();
  const bridge = useMemo<Bridge>(() => {
    const referrer = document.referrer ? new URL(document.referrer).origin : "";
    return {
      ready: Boolean(appBridgeState?.ready && appBridgeState.token),
      token: appBridgeState?.token,
      saleorApiUrl: appBridgeState?.saleorApiUrl ?? "",
      dashboardUrl: referrer,
      theme: (appBridgeState?.theme ?? new URLSearchParams(window.location.search).get("theme")) === "dark" ? "dark" : "light",
      permissions: (appBridgeState?.appPermissions ?? []) as string[],
      notify: (status, title, text) => send(actions.Notification({ status, title, text })),
      redirect: (to, newContext = false) => send(actions.Redirect({ to, newContext })),
      closePopup: () => send(actions.PopupClose()),
      resize: (height) => send(actions.WidgetResize({ height })),
      route: (path) => send(actions.UpdateRouting({ newRoute: path })),
    };
  }, [appBridgeState]);
  return <BridgeContext.Provider value={bridge}>{children}</BridgeContext.Provider>;
}

export function BridgeProvider({ children }: { children: ReactNode }) {
  return (
    <AppBridgeProvider appBridgeInstance={appBridge()}>
      <BridgeState>{children}</BridgeState>
    </AppBridgeProvider>
  );
}

export function useBridge(): Bridge {
  const bridge = useContext(BridgeContext);
  if (!bridge) throw new Error("useBridge outside BridgeProvider");
  return bridge;
}
