// The condition builder's state: a pure function of the condition tree JSON.
// load(json) -> state, save(state) -> json (equal to the input when nothing was edited);
// every edit is a pure function state -> state. Keys the builder does not know are carried over.

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

export type Group = {
  id: string;
  aggregator: Json | undefined; // "all" | "any" (undefined: not given, the API's default "all")
  expected: Json | undefined; // true | false (undefined: not given, default true)
  children: Node[];
};

export type Node = {
  id: string;
  kind: string; // "group" for a nested group
  params: JsonObject; // every key but kind / aggregator / expected / conditions
  group: Group | null; // groups and containers (address, products, orders, ...)
};

export type Tree = { top: JsonObject; root: Group };

const GROUP_KEYS = new Set(["aggregator", "expected", "conditions"]);

function isObject(value: Json | undefined): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

class Ids {
  private n = 0;
  next(): string {
    this.n += 1;
    return `n${this.n}`;
  }
}

function loadGroup(data: JsonObject, id: string, ids: Ids): Group {
  const raw = data.conditions;
  const children = Array.isArray(raw) ? raw.map((child) => loadNode(child, ids)) : [];
  return { id, aggregator: data.aggregator, expected: data.expected, children };
}

function loadNode(data: Json, ids: Ids): Node {
  const id = ids.next();
  if (!isObject(data)) return { id, kind: "", params: { __raw: data }, group: null };
  const params: JsonObject = {};
  for (const [key, value] of Object.entries(data)) {
    if (key !== "kind" && !GROUP_KEYS.has(key)) params[key] = value;
  }
  const hasGroup = data.kind === "group" || Array.isArray(data.conditions);
  return {
    id,
    kind: typeof data.kind === "string" ? data.kind : "",
    params,
    group: hasGroup ? loadGroup(data, id, ids) : null,
  };
}

export function load(json: Json): Tree {
  const data = isObject(json) ? json : {};
  const top: JsonObject = {};
  for (const [key, value] of Object.entries(data)) if (!GROUP_KEYS.has(key)) top[key] = value;
  return { top, root: loadGroup(data, "root", new Ids()) };
}

function saveGroup(group: Group): JsonObject {
  const out: JsonObject = {};
  if (group.aggregator !== undefined) out.aggregator = group.aggregator;
  if (group.expected !== undefined) out.expected = group.expected;
  out.conditions = group.children.map(saveNode);
  return out;
}

function saveNode(node: Node): Json {
  if (node.kind === "" && "__raw" in node.params) return node.params.__raw as Json;
  return { kind: node.kind, ...node.params, ...(node.group ? saveGroup(node.group) : {}) };
}

export function save(tree: Tree): JsonObject {
  return { ...tree.top, ...saveGroup(tree.root) };
}

// --- finding and changing nodes ------------------------------------------------------------

function mapGroups(group: Group, fn: (g: Group) => Group): Group {
  const children = group.children.map((child) =>
    child.group ? { ...child, group: mapGroups(child.group, fn) } : child,
  );
  return fn({ ...group, children });
}

function mapNodes(group: Group, fn: (n: Node) => Node): Group {
  return {
    ...group,
    children: group.children.map((child) => {
      const mapped = fn(child);
      return mapped.group ? { ...mapped, group: mapNodes(mapped.group, fn) } : mapped;
    }),
  };
}

let created = 0;
/** A fresh id for a node added while editing (never equal to a loaded one: those are n<k>). */
export function newId(): string {
  created += 1;
  return `new${created}`;
}

export function addNode(tree: Tree, groupId: string, node: Node): Tree {
  return { ...tree, root: mapGroups(tree.root, (g) => (g.id === groupId ? { ...g, children: [...g.children, node] } : g)) };
}

export function removeNode(tree: Tree, nodeId: string): Tree {
  return { ...tree, root: mapGroups(tree.root, (g) => ({ ...g, children: g.children.filter((c) => c.id !== nodeId) })) };
}

export function setParams(tree: Tree, nodeId: string, changes: Record<string, Json | undefined>): Tree {
  return {
    ...tree,
    root: mapNodes(tree.root, (n) => {
      if (n.id !== nodeId) return n;
      const params = { ...n.params };
      for (const [key, value] of Object.entries(changes)) {
        if (value === undefined) delete params[key];
        else params[key] = value;
      }
      return { ...n, params };
    }),
  };
}

export function setGroup(tree: Tree, groupId: string, changes: { aggregator?: "all" | "any"; expected?: boolean }): Tree {
  return { ...tree, root: mapGroups(tree.root, (g) => (g.id === groupId ? { ...g, ...changes } : g)) };
}

export function findNode(tree: Tree, nodeId: string): Node | null {
  let found: Node | null = null;
  mapNodes(tree.root, (n) => {
    if (n.id === nodeId) found = n;
    return n;
  });
  return found;
}

export function countNodes(group: Group): number {
  return group.children.reduce((sum, c) => sum + 1 + (c.group ? countNodes(c.group) : 0), 0);
}

// --- API paths (validation errors, explain) ----------------------------------------------------

/** The API's path of every node: "" for the root group, "conditions[1].conditions[0]" below. */
export function nodePaths(tree: Tree): Map<string, string> {
  const paths = new Map<string, string>([["root", ""]]);
  const walk = (group: Group, prefix: string) => {
    group.children.forEach((child, index) => {
      const path = `${prefix ? `${prefix}.` : ""}conditions[${index}]`;
      paths.set(child.id, path);
      if (child.group) walk(child.group, path);
    });
  };
  walk(tree.root, "");
  return paths;
}

export type NodeError = { key: string; message: string };

/** Error paths of the API ("conditions[1].conditions[0].value", or "conditions" for the
 * whole tree) attached to the deepest node they point into, with the key they name. */
export function errorsByNode(tree: Tree, errors: { field: string | null; message: string | null }[]): Map<string, NodeError[]> {
  const byPath = new Map<string, string>();
  for (const [id, path] of nodePaths(tree)) byPath.set(path, id);
  const result = new Map<string, NodeError[]>();
  for (const error of errors) {
    const field = error.field ?? "";
    let path = field === "conditions" ? "" : field;
    while (!byPath.has(path)) {
      const cut = Math.max(path.lastIndexOf("."), path.lastIndexOf("["));
      path = cut < 0 ? "" : path.slice(0, cut);
    }
    const key = field === "conditions" ? "" : field.slice(path.length).replace(/^\./, "");
    const id = byPath.get(path) ?? "root";
    result.set(id, [...(result.get(id) ?? []), { key, message: error.message ?? "invalid" }]);
  }
  return result;
}
