// GraphQL clients: the plugin's own API (segments) and Saleor's API (value pickers), both with
// the token the Dashboard handed over (read at call time: tokenRefresh replaces it).
import { appBridge } from "./bridge";

export type ApiError = { field: string | null; code: string; message: string | null };

export class PermissionError extends Error {}

/** The plugin's GraphQL URL: the app lives at <plugin>/app/..., the API at <plugin>/graphql/. */
export function pluginApiUrl(pathname: string): string {
  const at = pathname.lastIndexOf("/app/");
  const base = at >= 0 ? pathname.slice(0, at + 1) : pathname.replace(/[^/]*$/, "");
  return `${base}graphql/`;
}

export function currentToken(): string | undefined {
  return appBridge()?.getState().token;
}

async function post<T>(url: string, query: string, variables: Record<string, unknown>): Promise<T> {
  const token = currentToken();
  const response = await fetch(url, {
    method: "POST",
    headers: {
      "Content-Type": "application/json",
      ...(token ? { "Authorization-Bearer": token, Authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify({ query, variables }),
  });
  const body = await response.json().catch(() => ({ errors: [{ message: `HTTP ${response.status}` }] }));
  const errors = (body.errors ?? []) as { message: string; extensions?: { exception?: { code?: string } } }[];
  if (errors.length) {
    const denied = errors.find((e) => /permission/i.test(e.message) || e.extensions?.exception?.code === "PermissionDenied");
    if (denied) throw new PermissionError(denied.message);
    throw new Error(errors.map((e) => e.message).join("; "));
  }
  return body.data as T;
}

export function gql<T>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
  return post<T>(pluginApiUrl(window.location.pathname), query, variables);
}

export function saleorGql<T>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const url = appBridge()?.getState().saleorApiUrl;
  if (!url) return Promise.reject(new Error("The Dashboard gave no Saleor API URL"));
  return post<T>(url, query, variables);
}

/** Saleor's Relay IDs (base64 "Type:pk"); condition values hold the pk. */
export function toGlobalId(type: string, pk: number | string): string {
  return btoa(`${type}:${pk}`);
}

export function fromGlobalId(id: string): { type: string; pk: number } | null {
  try {
    const [type, pk] = atob(id).split(":");
    return /^\d+$/.test(pk ?? "") ? { type: type!, pk: Number(pk) } : null;
  } catch {
    return null;
  }
}
