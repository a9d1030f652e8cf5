import type { RelatedInfo } from '../../../core/finding';
import type { DockerfileNode, MainPackageNode } from '../../../workspace/service-model/types';

/** How the program is started and configured: what decides which port an env- or flag-driven address becomes. */
export interface RunSettings {
  /** Env set by the manifest: value, or undefined when it comes from elsewhere (`valueFrom`). */
  env: ReadonlyMap<string, string | undefined>;
  /** `envFrom` a ConfigMap or Secret: any variable may be set there. */
  envFrom: boolean;
  /** The command line: the manifest's `command`/`args` over the image's ENTRYPOINT/CMD. */
  words: readonly string[];
  /** The image's ENV (final stage), read after the manifest's. */
  imageEnv: ReadonlyMap<string, string>;
}

/** The ports a Go program listens on, when every one is known. */
export interface ListenSet {
  ports: number[];
  /** Per port, where it comes from: `8080`, `8080 (PORT default)`, `9000 (PORT set in the manifest)`. */
  labels: string[];
  /** Every port is a literal of the code or an explicit setting; false when one is a default that something unseen could override. */
  certain: boolean;
  related: RelatedInfo[];
}

/** Run settings of a container: its manifest env and command line over the image's. */
export function runSettings(
  container: { env: readonly { name: string; value?: string; fromSource: boolean }[]; envFrom: boolean; command?: readonly string[]; args?: readonly string[] },
  dockerfile: DockerfileNode | undefined,
): RunSettings {
  const env = new Map<string, string | undefined>();
  for (const e of container.env) env.set(e.name, e.fromSource ? undefined : e.value ?? '');
  const entry = container.command ?? dockerfile?.facts.entrypoint?.words ?? [];
  const args = container.args ?? (container.command ? [] : dockerfile?.facts.cmd?.words ?? []);
  return { env, envFrom: container.envFrom, words: [...entry, ...args], imageEnv: imageEnv(dockerfile?.facts.env ?? []) };
}

export function imageEnv(env: readonly { name: string; value: string }[]): Map<string, string> {
  return new Map(env.map((e) => [e.name, e.value]));
}

function portOf(text: string | undefined): number | undefined {
  const m = /^(?:.*:)?(\d{1,5})$/.exec(text?.trim() ?? '');
  const n = m ? Number.parseInt(m[1], 10) : NaN;
  return n > 0 && n < 65536 ? n : undefined;
}

/** `--addr=:9000`, `-addr :9000`, `--port 9000` (also inside `sh -c "..."`): the value given to flag `name`; null when absent. */
function flagValue(words: readonly string[], name: string): string | undefined | null {
  const tokens = words.flatMap((w) => w.split(/\s+/));
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const re = new RegExp(`^--?${escaped}(=(.*))?$`);
  for (let i = 0; i < tokens.length; i++) {
    const m = re.exec(tokens[i]);
    if (m) return m.at(1) !== undefined ? m.at(2) : tokens.at(i + 1);
  }
  return null;
}

/**
 * The ports `main` listens on under `settings`; undefined when one of them is
 * not known (an address from a config file, an env variable set from a
 * Secret, a `$(VAR)` on the command line): a rule comparing ports stays silent.
 */
export function listenSet(main: MainPackageNode, settings: RunSettings): ListenSet | undefined {
  if (main.listens.length === 0) return undefined;
  const out: ListenSet = { ports: [], labels: [], certain: true, related: [] };
  const add = (port: number | undefined, label: string, certain: boolean): boolean => {
    if (port === undefined) return false;
    if (!out.ports.includes(port)) {
      out.ports.push(port);
      out.labels.push(label === '' ? String(port) : `${port} (${label})`);
    }
    out.certain &&= certain;
    return true;
  };
  for (const l of main.listens) {
    out.related.push({ file: l.file, span: l.span, message: `the service listens here: ${l.via}(${l.text})` });
    let ok: boolean;
    if (l.env) {
      const name = l.env.name;
      if (settings.env.has(name)) {
        const v = settings.env.get(name);
        ok = v !== undefined && !v.includes('$(') && add(portOf(v), `${name} set in the manifest`, true);
      } else if (settings.envFrom) ok = false;
      else if (settings.imageEnv.has(name)) ok = add(portOf(settings.imageEnv.get(name)), `${name} set by the image's ENV`, true);
      else ok = add(portOf(l.env.default), `${name} unset, the code's default`, false);
    } else if (l.flag) {
      const v = flagValue(settings.words, l.flag.name);
      ok = v === null ? add(portOf(l.flag.default), `flag -${l.flag.name} default`, false) : v !== undefined && !v.includes('$') && add(portOf(v), `flag -${l.flag.name}`, true);
    } else ok = add(l.port, '', true);
    if (!ok) return undefined;
  }
  out.ports.sort((a, b) => a - b);
  return out;
}
