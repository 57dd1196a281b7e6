/// A small XML tree written to text with correct escaping. The JUnit emitter uses it instead
/// of FoundationXML's XMLDocument, which crashed inside libxml2 (SIGSEGV, reproducible) while
/// building the JUnit document of a 10,000-element model; tests still parse the output with
/// libxml2 through FoundationXML.
struct XMLTree {
    var name: String
    var attributes: [(String, String)] = []
    var text: String?
    var children: [XMLTree] = []

    init(_ name: String, _ attributes: [(String, String)] = [], text: String? = nil) {
        self.name = name
        self.attributes = attributes
        self.text = text
    }

    /// The document: declaration, then the tree with two-space indents.
    func document() -> String {
        var out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        write(into: &out, depth: 0)
        return out
    }

    func write(into out: inout String, depth: Int) {
        let pad = String(repeating: "  ", count: depth)
        out += pad + "<" + name
        for (k, v) in attributes { out += " \(k)=\"" + Self.escape(v, attribute: true) + "\"" }
        if children.isEmpty, text == nil {
            out += "/>\n"
            return
        }
        out += ">"
        if let text { out += Self.escape(text, attribute: false) }
        if !children.isEmpty {
            out += "\n"
            for c in children { c.write(into: &out, depth: depth + 1) }
            out += pad
        }
        out += "</" + name + ">\n"
    }

    /// Escapes markup characters; drops characters XML 1.0 cannot hold at all.
    static func escape(_ s: String, attribute: Bool) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for u in s.unicodeScalars {
            switch u {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"" where attribute: out += "&quot;"
            case "\n" where attribute: out += "&#10;"
            case "\r": out += "&#13;"
            case "\t" where attribute: out += "&#9;"
            case "\t", "\n": out.unicodeScalars.append(u)
            default:
                let v = u.value
                if v < 0x20 || v == 0xFFFE || v == 0xFFFF { continue }
                out.unicodeScalars.append(u)
            }
        }
        return out
    }
}
