/// Writes XML straight into a byte buffer, with correct escaping and two-space indents. The
/// JUnit emitter uses it instead of FoundationXML's XMLDocument, which crashed inside libxml2
/// (SIGSEGV, reproducible) while building the JUnit document of a 10,000-element model; tests
/// still parse the output with libxml2 through FoundationXML.
///
/// An element is `start`ed, given its attributes, then either closed empty (`<a x="1"/>`),
/// given text only (`<a>text</a>`), or opened for children and later `end`ed:
///
///     w.start("suite"); w.attribute("name", "x"); w.openChildren()
///     w.start("case"); w.closeEmpty()
///     w.end("suite")
struct XMLWriter {
    private(set) var bytes: [UInt8] = []
    var depth = 0

    /// Starts the document with the XML declaration.
    init(capacity: Int = 4096) {
        bytes.reserveCapacity(capacity)
        raw("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
    }

    mutating func raw(_ s: StaticString) { s.withUTF8Buffer { bytes.append(contentsOf: $0) } }

    /// `<name` at the current depth; attributes follow.
    mutating func start(_ name: StaticString) {
        pad()
        bytes.append(60)
        raw(name)
    }

    mutating func attribute(_ key: StaticString, _ value: String) {
        bytes.append(32)
        raw(key)
        bytes.append(61); bytes.append(34)
        escape(value, attribute: true)
        bytes.append(34)
    }

    mutating func attribute(_ key: StaticString, _ value: Int) {
        bytes.append(32)
        raw(key)
        bytes.append(61); bytes.append(34)
        JSONBytes.appendInt(value, to: &bytes)
        bytes.append(34)
    }

    /// An attribute whose value the caller writes with `escape` and `int`, then `endAttribute`.
    mutating func beginAttribute(_ key: StaticString) {
        bytes.append(32)
        raw(key)
        bytes.append(61); bytes.append(34)
    }

    mutating func endAttribute() { bytes.append(34) }

    mutating func int(_ value: Int) { JSONBytes.appendInt(value, to: &bytes) }

    /// `/>` and a newline: an element with neither text nor children.
    mutating func closeEmpty() {
        bytes.append(47); bytes.append(62); bytes.append(10)
    }

    /// `>text</name>` and a newline.
    mutating func closeWithText(_ name: StaticString, _ text: String) {
        beginText()
        escape(text, attribute: false)
        endText(name)
    }

    /// `>`: text written with `escape(_:attribute: false)` follows, then `endText`.
    mutating func beginText() { bytes.append(62) }

    mutating func endText(_ name: StaticString) {
        bytes.append(60); bytes.append(47)
        raw(name)
        bytes.append(62); bytes.append(10)
    }

    /// `>` and a newline; children follow, one level deeper.
    mutating func openChildren() {
        bytes.append(62); bytes.append(10)
        depth += 1
    }

    /// `</name>` after the children.
    mutating func end(_ name: StaticString) {
        depth -= 1
        pad()
        endText(name)
    }

    mutating func pad() {
        for _ in 0..<depth { bytes.append(32); bytes.append(32) }
    }

    /// Bytes copied as they are in text; the rest go through `escapeSlow`.
    static let plainText: [Bool] = (0..<256).map { b in (b >= 32 || b == 9 || b == 10) && b != 38 && b != 60 && b != 62 && b != 0xEF }
    static let plainAttribute: [Bool] = (0..<256).map { b in b >= 32 && b != 38 && b != 60 && b != 62 && b != 34 && b != 0xEF }

    /// Escapes markup characters; drops characters XML 1.0 cannot hold at all (controls other
    /// than tab, newline and carriage return, U+FFFE, U+FFFF).
    mutating func escape(_ s: String, attribute: Bool) {
        if let done: Void = s.utf8.withContiguousStorageIfAvailable({ escape(utf8: $0, attribute: attribute) }) { return done }
        let copy = Array(s.utf8)
        copy.withUnsafeBufferPointer { escape(utf8: $0, attribute: attribute) }
    }

    mutating func escape(utf8 buf: UnsafeBufferPointer<UInt8>, attribute: Bool) {
        let table = attribute ? Self.plainAttribute : Self.plainText
        let n = buf.count
        var start = 0
        var i = 0
        table.withUnsafeBufferPointer { table in
            while i < n {
                let b = buf[i]
                if table[Int(b)] { i += 1; continue }
                if start < i { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: buf[start..<i])) }
                switch b {
                case 38: raw("&amp;")
                case 60: raw("&lt;")
                case 62: raw("&gt;")
                case 34: raw("&quot;")
                case 10: raw("&#10;")
                case 13: raw("&#13;")
                case 9: raw("&#9;")
                case 0xEF:
                    // U+FFFE and U+FFFF are EF BF BE / EF BF BF: dropped; other EF sequences copied.
                    if i + 2 < n, buf[i + 1] == 0xBF, buf[i + 2] == 0xBE || buf[i + 2] == 0xBF {
                        i += 3
                        start = i
                        continue
                    }
                    bytes.append(b)
                default: break  // another control character: dropped
                }
                i += 1
                start = i
            }
        }
        if start < n { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: buf[start..<n])) }
    }

    /// The escaped text as a string (tests and small callers).
    static func escape(_ s: String, attribute: Bool) -> String {
        var w = XMLWriter(capacity: 0)
        w.bytes.removeAll()
        w.escape(s, attribute: attribute)
        return String(decoding: w.bytes, as: UTF8.self)
    }
}
