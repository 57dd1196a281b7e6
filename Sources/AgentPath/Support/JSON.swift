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
        case .null: out += Array("null".utf8)
        case .bool(let b): out += Array((b ? "true" : "false").utf8)
        case .int(let i): out += Array(String(i).utf8)
        case .double(let d):
            if d.isFinite {
                out += Array((d == d.rounded() && abs(d) < 1e15 ? String(Int(d)) + ".0" : String(d)).utf8)
            } else {
                out += Array("null".utf8)
            }
        case .string(let s): JSON.quote(s, into: &out)
        case .array(let items):
            if items.isEmpty { out += [91, 93]; return }
            out.append(91)
            for (i, item) in items.enumerated() {
                if i > 0 { out.append(44) }
                newline(&out, indent.map { $0 + 1 })
                item.write(to: &out, indent: indent.map { $0 + 1 })
            }
            newline(&out, indent)
            out.append(93)
        case .object(let pairs):
            if pairs.isEmpty { out += [123, 125]; return }
            out.append(123)
            for (i, (k, v)) in pairs.enumerated() {
                if i > 0 { out.append(44) }
                newline(&out, indent.map { $0 + 1 })
                JSON.quote(k, into: &out)
                out.append(58)
                if indent != nil { out.append(32) }
                v.write(to: &out, indent: indent.map { $0 + 1 })
            }
            newline(&out, indent)
            out.append(125)
        }
    }

    private func newline(_ out: inout [UInt8], _ indent: Int?) {
        guard let indent else { return }
        out.append(10)
        for _ in 0..<(indent * 2) { out.append(32) }
    }

    /// Escapes for JSON; also `<`, `>` and `&` so the text is safe inside an HTML `<script>`,
    /// and U+2028/U+2029 so it is safe inside JavaScript.
    public static func quote(_ s: String, into out: inout String) {
        var bytes: [UInt8] = []
        quote(s, into: &bytes)
        out += String(decoding: bytes, as: UTF8.self)
    }

    static let hex: [UInt8] = Array("0123456789abcdef".utf8)

    public static func quote(_ s: String, into out: inout [UInt8]) {
        out.append(34)
        var utf8 = s.utf8.makeIterator()
        var pending: [UInt8] = []
        while let b = utf8.next() {
            switch b {
            case 34: out += [92, 34]
            case 92: out += [92, 92]
            case 10: out += [92, 110]
            case 13: out += [92, 114]
            case 9: out += [92, 116]
            case 60, 62, 38: out += [92, 117, 48, 48, hex[Int(b >> 4)], hex[Int(b & 15)]]
            case 0..<32: out += [92, 117, 48, 48, hex[Int(b >> 4)], hex[Int(b & 15)]]
            case 0xE2:
                // U+2028 and U+2029 are E2 80 A8 / E2 80 A9.
                pending = [b]
                if let b1 = utf8.next() {
                    pending.append(b1)
                    if let b2 = utf8.next() {
                        pending.append(b2)
                        if b1 == 0x80 && (b2 == 0xA8 || b2 == 0xA9) {
                            out += Array((b2 == 0xA8 ? "\\u2028" : "\\u2029").utf8)
                            continue
                        }
                    }
                }
                out += pending
            default: out.append(b)
            }
        }
        out.append(34)
    }

    public static func strings(_ values: [String]) -> JSON { .array(values.map { .string($0) }) }
    public static func optional(_ s: String?) -> JSON { s.map { .string($0) } ?? .null }
}
