/**
 * Sizes and alignments (bytes, 64-bit platforms: amd64, arm64) of the
 * predeclared types and of standard-library types whose layout has been
 * stable across Go 1.20–1.23. `test/engine/go-type-size.test.ts` checks every
 * entry against `unsafe.Sizeof`/`unsafe.Alignof` printed by the Go toolchain.
 * Types whose layout changed between recent releases (http.Cookie,
 * time.Timer, sync.Map in 1.24) are left out: unknown, never a guess.
 */
export interface Layout {
  size: number;
  align: number;
}

const L = (size: number, align: number): Layout => ({ size, align });
const WORD = L(8, 8);
const IFACE = L(16, 8);
const SLICE = L(24, 8);
const STRING = L(16, 8);

export const PREDECLARED: Readonly<Record<string, Layout>> = {
  bool: L(1, 1), int8: L(1, 1), uint8: L(1, 1), byte: L(1, 1),
  int16: L(2, 2), uint16: L(2, 2),
  int32: L(4, 4), uint32: L(4, 4), rune: L(4, 4), float32: L(4, 4),
  int64: WORD, uint64: WORD, float64: WORD, int: WORD, uint: WORD, uintptr: WORD,
  complex64: L(8, 4), complex128: L(16, 8),
  string: STRING,
  error: IFACE, any: IFACE, comparable: IFACE,
};

/** Sizes of well-known standard-library types, by `importPath.Name`. */
export const STD_LAYOUTS: Readonly<Record<string, Layout>> = {
  'unsafe.Pointer': WORD,
  // time
  'time.Time': L(24, 8), 'time.Duration': WORD, 'time.Month': WORD, 'time.Weekday': WORD,
  // sync, sync/atomic
  'sync.Mutex': L(8, 4), 'sync.RWMutex': L(24, 4), 'sync.WaitGroup': L(16, 8), 'sync.Once': L(12, 4),
  'sync.Locker': IFACE,
  'sync/atomic.Int32': L(4, 4), 'sync/atomic.Uint32': L(4, 4), 'sync/atomic.Bool': L(4, 4),
  'sync/atomic.Int64': WORD, 'sync/atomic.Uint64': WORD, 'sync/atomic.Uintptr': WORD,
  'sync/atomic.Value': IFACE, 'sync/atomic.Pointer': WORD,
  // math/big
  'math/big.Int': L(32, 8), 'math/big.Rat': L(64, 8), 'math/big.Float': L(40, 8), 'math/big.Word': WORD,
  // net, net/netip, net/url, net/http
  'net.IP': SLICE, 'net.IPMask': SLICE, 'net.HardwareAddr': SLICE, 'net.IPNet': L(48, 8),
  'net.Conn': IFACE, 'net.Listener': IFACE, 'net.Addr': IFACE,
  'net/netip.Addr': L(24, 8), 'net/netip.AddrPort': L(32, 8), 'net/netip.Prefix': L(32, 8),
  'net/url.Values': WORD, 'net/url.URL': L(144, 8),
  'net/http.Header': WORD, 'net/http.Handler': IFACE, 'net/http.HandlerFunc': WORD,
  'net/http.ResponseWriter': IFACE, 'net/http.RoundTripper': IFACE, 'net/http.SameSite': WORD,
  // context, io, fmt, errors
  'context.Context': IFACE, 'context.CancelFunc': WORD,
  'io.Reader': IFACE, 'io.Writer': IFACE, 'io.Closer': IFACE, 'io.ReadCloser': IFACE,
  'io.WriteCloser': IFACE, 'io.ReadWriter': IFACE, 'io.ReadWriteCloser': IFACE, 'fmt.Stringer': IFACE,
  // bytes, strings
  'bytes.Buffer': L(40, 8), 'bytes.Reader': L(40, 8), 'strings.Builder': L(32, 8), 'strings.Reader': L(32, 8),
  // encoding
  'encoding/json.RawMessage': SLICE, 'encoding/json.Number': STRING,
  // database/sql
  'database/sql.NullString': L(24, 8), 'database/sql.NullInt64': L(16, 8), 'database/sql.NullInt32': L(8, 4),
  'database/sql.NullInt16': L(4, 2), 'database/sql.NullByte': L(2, 1), 'database/sql.NullBool': L(2, 1),
  'database/sql.NullFloat64': L(16, 8), 'database/sql.NullTime': L(32, 8),
  'database/sql.RawBytes': SLICE, 'database/sql/driver.Value': IFACE,
  // log/slog, reflect, os, io/fs
  'log/slog.Attr': L(40, 8), 'log/slog.Value': L(24, 8), 'log/slog.Level': WORD, 'log/slog.Handler': IFACE,
  'reflect.Value': L(24, 8), 'reflect.Type': IFACE, 'reflect.Kind': WORD,
  'os.FileMode': L(4, 4), 'io/fs.FileMode': L(4, 4), 'os.Signal': IFACE,
};
