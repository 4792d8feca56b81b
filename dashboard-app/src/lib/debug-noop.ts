// Stand-in for the `debug` package inside the bundle: logging off, no localStorage access.
type Debugger = ((...args: unknown[]) => void) & { enabled: boolean; extend: (ns: string) => Debugger };
const make = (): Debugger => Object.assign(() => undefined, { enabled: false, extend: () => make() });
export const debug = (_namespace: string): Debugger => make();
export default Object.assign(debug, { debug, enable: () => undefined, disable: () => "" });
