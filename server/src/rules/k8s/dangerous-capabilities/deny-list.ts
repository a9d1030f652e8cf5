import type { Severity } from '../../../core/finding';

/**
 * The deny-list: capabilities that reach beyond the container. Error for the
 * ones that amount to root on the node; warning for the rest. Capabilities in
 * the runtime's default set (NET_RAW, CHOWN, SETUID, NET_BIND_SERVICE, ...) are
 * not here: adding them changes nothing.
 */
export const DENY: Readonly<Partial<Record<string, { what: string; severity: Severity }>>> = {
  ALL: { what: 'every capability, root on the node in all but name', severity: 'error' },
  SYS_ADMIN: { what: 'mounts, namespaces and most admin calls: a known breakout path', severity: 'error' },
  SYS_MODULE: { what: 'loading kernel modules into the node', severity: 'error' },
  SYS_RAWIO: { what: 'raw access to devices and I/O ports of the node', severity: 'warning' },
  SYS_PTRACE: { what: 'tracing and injecting code into other processes', severity: 'warning' },
  SYS_TIME: { what: "setting the node's clock, which is not namespaced", severity: 'warning' },
  DAC_READ_SEARCH: { what: 'reading any file by handle, the "shocker" breakout', severity: 'warning' },
  NET_ADMIN: { what: "rewriting the pod's routes, firewall and interfaces", severity: 'warning' },
  BPF: { what: 'loading BPF programs into the kernel', severity: 'warning' },
  PERFMON: { what: 'kernel performance monitoring, which leaks kernel memory layout', severity: 'warning' },
  SYSLOG: { what: 'reading the kernel log and kernel addresses', severity: 'warning' },
  MAC_ADMIN: { what: 'changing the AppArmor/SELinux policy that confines it', severity: 'warning' },
  MAC_OVERRIDE: { what: 'bypassing the AppArmor/SELinux policy that confines it', severity: 'warning' },
};
