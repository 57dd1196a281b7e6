/// A JSON value with ordered object keys, written byte-for-byte the same on every run.
public indirect enum JSON: Sendable, Equatable {
    case null
    case bool(Bool)
    case int(Int)
    case double(Double)
    case string(String)
    case array([JSON])
    case object([(String, JSON)])

    public static func == (a: JSON, b: JSON) -> Bool {
        switch (a, b) {
        case (.null, .null): true
        case (.bool(let x), .bool(let y)): x == y
        case (.int(let x), .int(let y)): x == y
        case (.double(let x), .double(let y)): x == y
        case (.string(let x), .string(let y)): x == y
        case (.array(let x), .array(let y)): x == y
        case (.object(let x), .object(let y)): x.count == y.count && zip(x, y).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
        default: false
        }
    }

    /// Pretty-printed with two-space indents and a final newline.
    public func rendered(pretty: Bool = true) -> String {
        String(decoding: bytes(pretty: pretty), as: UTF8.self)
    }

    /// The rendering as UTF-8 bytes; written into one buffer, which keeps large outputs fast.
    public func bytes(pretty: Bool = true) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(4096)
        write(to: &out, indent: pretty ? 0 : nil)
        if pretty { out.append(10) }
        return out
    }

    func write(to out: inout [UInt8], indent: Int?) {
        switch self {
        case .null: JSONBytes.append("null", to: &out)
        case .bool(let b): JSONBytes.append(b ? "true" : "false", to: &out)
        case .int(let i): JSONBytes.appendInt(i, to: &out)
        case .double(let d): JSONBytes.appendDouble(d, to: &out)
        case .string(let s): JSON.quote(s, into: &out)
        case .array(let items):
            if items.isEmpty { out.append(91); out.append(93); return }
            out.append(91)
            let inner = indent.map { $0 + 1 }
            for (i, item) in items.enumerated() {
                if i > 0 { out.append(44) }
                JSONBytes.newline(&out, inner)
                item.write(to: &out, indent: inner)
            }
            JSONBytes.newline(&out, indent)
            out.append(93)
        case .object(let pairs):
            if pairs.isEmpty { out.append(123); out.append(125); return }
            out.append(123)
            let inner = indent.map { $0 + 1 }
            for (i, (k, v)) in pairs.enumerated() {
                if i > 0 { out.append(44) }
                JSONBytes.newline(&out, inner)
                JSON.quote(k, into: &out)
                out.append(58)
                if indent != nil { out.append(32) }
                v.write(to: &out, indent: inner)
            }
            JSONBytes.newline(&out, indent)
            out.append(125)
        }
    }

    /// Escapes for JSON; also `<`, `>` and `&` so the text is safe inside an HTML `<script>`,
    /// and U+2028/U+2029 so it is safe inside JavaScript.
    public static func quote(_ s: String, into out: inout String) {
        var bytes: [UInt8] = []
        quote(s, into: &bytes)
        out += String(decoding: bytes, as: UTF8.self)
    }

    /// Bytes that cannot be copied as they are: controls, `"`, `\\`, `<`, `>`, `&`, and 0xE2
    /// (the lead byte of U+2028/U+2029, checked further).
    static let needsEscape: [Bool] = (0..<256).map { b in b < 32 || b == 34 || b == 92 || b == 60 || b == 62 || b == 38 || b == 0xE2 }

    static let hex: [UInt8] = Array("0123456789abcdef".utf8)

    public static func quote(_ s: String, into out: inout [UInt8]) {
        if let done: Void = s.utf8.withContiguousStorageIfAvailable({ quote(utf8: $0, into: &out) }) { return done }
        let copy = Array(s.utf8)
        copy.withUnsafeBufferPointer { quote(utf8: $0, into: &out) }
    }

    /// Copies runs of plain bytes in one go; escapes the rest.
    static func quote(utf8 buf: UnsafeBufferPointer<UInt8>, into out: inout [UInt8]) {
        out.append(34)
        let table = needsEscape
        let n = buf.count
        var start = 0
        var i = 0
        table.withUnsafeBufferPointer { table in
            while i < n {
                let b = buf[i]
                if !table[Int(b)] { i += 1; continue }
                if b == 0xE2 {
                    // U+2028 and U+2029 are E2 80 A8 / E2 80 A9; any other E2 sequence is copied.
                    guard i + 2 < n, buf[i + 1] == 0x80, buf[i + 2] == 0xA8 || buf[i + 2] == 0xA9 else { i += 1; continue }
                    if start < i { out.append(contentsOf: UnsafeBufferPointer(rebasing: buf[start..<i])) }
                    out.append(92); out.append(117); out.append(50); out.append(48); out.append(50)
                    out.append(buf[i + 2] == 0xA8 ? 56 : 57)
                    i += 3
                    start = i
                    continue
                }
                if start < i { out.append(contentsOf: UnsafeBufferPointer(rebasing: buf[start..<i])) }
                out.append(92)
                switch b {
                case 34: out.append(34)
                case 92: out.append(92)
                case 10: out.append(110)
                case 13: out.append(114)
                case 9: out.append(116)
                default:
                    out.append(117); out.append(48); out.append(48)
                    out.append(hex[Int(b >> 4)]); out.append(hex[Int(b & 15)])
                }
                i += 1
                start = i
            }
        }
        if start < n { out.append(contentsOf: UnsafeBufferPointer(rebasing: buf[start..<n])) }
        out.append(34)
    }

    public static func strings(_ values: [String]) -> JSON { .array(values.map { .string($0) }) }
    public static func optional(_ s: String?) -> JSON { s.map { .string($0) } ?? .null }
}

/// Writes pretty-printed JSON straight into a byte buffer, without building a `JSON` tree:
/// the same bytes `JSON.rendered()` writes for the same values (two-space indents, `": "`
/// after keys, the same escaping and numbers). The large machine outputs (findings JSON,
/// SARIF, check JSON) stream through it. The buffer is raw memory that grows by doubling
/// (no per-byte uniqueness or bounds checks); `finish` copies it into an array once.
///
///     var w = JSONWriter()
///     w.beginObject(); w.key("a"); w.int(1); w.endObject()
///     let bytes = w.finish()
public struct JSONWriter: ~Copyable {
    var base: UnsafeMutablePointer<UInt8>
    var count = 0
    var capacity: Int
    /// How many containers are open (at most 64).
    var depth = 0
    /// Bit `d` is set while the container opened at depth `d` has no item yet.
    var emptyBits: UInt64 = 0
    /// A key was written and its value is next.
    var afterKey = false

    public init(capacity: Int = 4096) {
        self.capacity = max(capacity, 64)
        base = .allocate(capacity: self.capacity)
    }

    deinit { base.deallocate() }

    /// The bytes written, with the final newline `rendered()` ends with.
    public consuming func finish() -> [UInt8] {
        put(10)
        return Array(UnsafeBufferPointer(start: base, count: count))
    }

    // MARK: raw output

    @inline(__always) mutating func reserve(_ n: Int) {
        if count + n > capacity { grow(count + n) }
    }

    mutating func grow(_ needed: Int) {
        let newCapacity = max(needed, capacity * 2)
        let newBase = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
        newBase.update(from: base, count: count)
        base.deallocate()
        base = newBase
        capacity = newCapacity
    }

    @inline(__always) mutating func put(_ b: UInt8) {
        reserve(1)
        base[count] = b
        count += 1
    }

    @inline(__always) mutating func put(_ buf: UnsafeBufferPointer<UInt8>) {
        guard let p = buf.baseAddress, buf.count > 0 else { return }
        reserve(buf.count)
        (base + count).update(from: p, count: buf.count)
        count += buf.count
    }

    mutating func put(_ s: StaticString) { s.withUTF8Buffer { put($0) } }

    mutating func put(_ bytes: [UInt8]) { bytes.withUnsafeBufferPointer { put($0) } }

    mutating func newline() {
        let n = depth * 2
        reserve(n + 1)
        base[count] = 10
        (base + count + 1).update(repeating: 32, count: n)
        count += n + 1
    }

    /// A quoted, escaped string (as `JSON.quote`): worst case six bytes per input byte, so
    /// room is made once and plain runs are copied whole.
    mutating func quoted(_ buf: UnsafeBufferPointer<UInt8>) {
        let n = buf.count
        reserve(6 * n + 2)
        var o = base + count
        o.pointee = 34; o += 1
        var start = 0
        var i = 0
        JSON.needsEscape.withUnsafeBufferPointer { table in
            @inline(__always) func flush(_ end: Int) {
                if start < end {
                    o.update(from: buf.baseAddress! + start, count: end - start)
                    o += end - start
                }
            }
            while i < n {
                let b = buf[i]
                if !table[Int(b)] { i += 1; continue }
                if b == 0xE2 {
                    guard i + 2 < n, buf[i + 1] == 0x80, buf[i + 2] == 0xA8 || buf[i + 2] == 0xA9 else { i += 1; continue }
                    flush(i)
                    o[0] = 92; o[1] = 117; o[2] = 50; o[3] = 48; o[4] = 50; o[5] = buf[i + 2] == 0xA8 ? 56 : 57
                    o += 6
                    i += 3
                    start = i
                    continue
                }
                flush(i)
                o[0] = 92
                switch b {
                case 34: o[1] = 34; o += 2
                case 92: o[1] = 92; o += 2
                case 10: o[1] = 110; o += 2
                case 13: o[1] = 114; o += 2
                case 9: o[1] = 116; o += 2
                default:
                    o[1] = 117; o[2] = 48; o[3] = 48
                    o[4] = JSON.hex[Int(b >> 4)]; o[5] = JSON.hex[Int(b & 15)]
                    o += 6
                }
                i += 1
                start = i
            }
            flush(n)
        }
        o.pointee = 34; o += 1
        count = o - base
    }

    mutating func quoted(_ s: String) {
        if let done: Void = s.utf8.withContiguousStorageIfAvailable({ quoted($0) }) { return done }
        let copy = Array(s.utf8)
        copy.withUnsafeBufferPointer { quoted($0) }
    }

    // MARK: containers

    public mutating func beginObject() { begin(123) }

    public mutating func endObject() { end(125) }

    public mutating func beginArray() { begin(91) }

    public mutating func endArray() { end(93) }

    mutating func begin(_ bracket: UInt8) {
        prefix()
        put(bracket)
        precondition(depth < 63, "JSONWriter: nesting deeper than 63")
        depth += 1
        emptyBits |= 1 << UInt64(depth)
    }

    mutating func end(_ bracket: UInt8) {
        let wasEmpty = emptyBits & (1 << UInt64(depth)) != 0
        emptyBits &= ~(1 << UInt64(depth))
        depth -= 1
        if !wasEmpty { newline() }
        put(bracket)
    }

    // MARK: keys

    /// A key known to need no escaping (letters, digits, `-`, `_`, `$`, `/`): copied as it is.
    public mutating func key(_ k: StaticString) {
        item()
        k.withUTF8Buffer { buf in
            reserve(buf.count + 4)
            base[count] = 34
            (base + count + 1).update(from: buf.baseAddress!, count: buf.count)
            count += buf.count + 1
            base[count] = 34; base[count + 1] = 58; base[count + 2] = 32
            count += 3
        }
        afterKey = true
    }

    /// Any key, escaped.
    public mutating func key(escaping k: String) {
        item()
        quoted(k)
        put(58); put(32)
        afterKey = true
    }

    // MARK: values

    public mutating func string(_ s: String) {
        prefix()
        quoted(s)
    }

    public mutating func optionalString(_ s: String?) {
        if let s { string(s) } else { null() }
    }

    public mutating func int(_ i: Int) {
        prefix()
        appendInt(i)
    }

    public mutating func double(_ d: Double) {
        prefix()
        guard d.isFinite else { put("null"); return }
        if d == d.rounded() && abs(d) < 1e15 {
            appendInt(Int(d))
            put(46); put(48)
        } else {
            var s = String(d)
            s.withUTF8 { put($0) }
        }
    }

    public mutating func bool(_ b: Bool) {
        prefix()
        put(b ? "true" : "false")
    }

    public mutating func null() {
        prefix()
        put("null")
    }

    public mutating func strings(_ values: [String]) {
        beginArray()
        for v in values { string(v) }
        endArray()
    }

    /// A `JSON` tree at this position, indented to fit.
    public mutating func value(_ json: JSON) {
        prefix()
        var bytes: [UInt8] = []
        json.write(to: &bytes, indent: depth)
        put(bytes)
    }

    /// `"key": value` pairs are written by `key` then a value; a value in an array starts its
    /// own line.
    @inline(__always) mutating func prefix() {
        if afterKey { afterKey = false; return }
        if depth > 0 { item() }
    }

    @inline(__always) mutating func item() {
        let bit: UInt64 = 1 << UInt64(depth)
        if emptyBits & bit != 0 { emptyBits &= ~bit } else { put(44) }
        newline()
    }

    mutating func appendInt(_ i: Int) {
        reserve(21)
        if i >= 0 && i < 10 { base[count] = 48 + UInt8(i); count += 1; return }
        var v = i.magnitude
        var digits = 0
        var t = v
        while t > 0 { digits += 1; t /= 10 }
        if i < 0 { base[count] = 45; count += 1 }
        var p = count + digits - 1
        while v > 0 {
            base[p] = 48 + UInt8(v % 10)
            v /= 10
            p -= 1
        }
        count += digits
    }
}

/// Helpers `JSON.write` and the other writers share.
enum JSONBytes {

    static let spaces = [UInt8](repeating: 32, count: 256)

    static func newline(_ out: inout [UInt8], _ indent: Int?) {
        guard let indent else { return }
        out.append(10)
        var n = indent * 2
        while n > 0 {
            let k = min(n, spaces.count)
            spaces.withUnsafeBufferPointer { out.append(contentsOf: UnsafeBufferPointer(rebasing: $0[0..<k])) }
            n -= k
        }
    }

    static func append(_ s: StaticString, to out: inout [UInt8]) {
        s.withUTF8Buffer { out.append(contentsOf: $0) }
    }

    static func appendInt(_ i: Int, to out: inout [UInt8]) {
        if i >= 0 && i < 10 { out.append(48 + UInt8(i)); return }
        var v = i.magnitude
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)  // 24 bytes: enough for 20 digits
        var count = 0
        withUnsafeMutableBytes(of: &digits) { buf in
            while v > 0 {
                buf[23 - count] = 48 + UInt8(v % 10)
                v /= 10
                count += 1
            }
            if i < 0 { out.append(45) }
            out.append(contentsOf: buf[(24 - count)...])
        }
    }

    static func appendDouble(_ d: Double, to out: inout [UInt8]) {
        guard d.isFinite else { append("null", to: &out); return }
        if d == d.rounded() && abs(d) < 1e15 {
            appendInt(Int(d), to: &out)
            out.append(46); out.append(48)
        } else {
            out.append(contentsOf: String(d).utf8)
        }
    }
}
