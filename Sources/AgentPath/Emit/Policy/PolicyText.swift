import Foundation

/// Escaping for model text that lands in a policy. Every model string goes through one of
/// these before it reaches a template, so no id, name, description or destination can end a
/// string literal or a comment early: literals escape quotes, backslashes and everything
/// outside printable ASCII; comments are single lines with control characters removed.
public enum PolicyText {
    /// A Cedar string literal, quotes included. Non-printable and non-ASCII characters are
    /// written `\u{hex}`.
    public static func cedar(_ s: String) -> String {
        if isPlain(s) { return "\"" + s + "\"" }
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case " "..."~": out.unicodeScalars.append(u)
            default: out += "\\u{" + String(u.value, radix: 16) + "}"
            }
        }
        return out + "\""
    }

    /// A Rego string literal (JSON string syntax), quotes included. Non-printable and
    /// non-ASCII characters are written `\uXXXX` (surrogate pairs above U+FFFF), line breaks and
    /// tabs with their short escapes.
    public static func rego(_ s: String) -> String {
        if isPlain(s) { return "\"" + s + "\"" }
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case " "..."~": out.unicodeScalars.append(u)
            // Short escapes: rego-cpp 1.5.2 reads `\u000a` as something other than a line break.
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{8}": out += "\\b"
            case "\u{c}": out += "\\f"
            default:
                for unit in String(u).utf16 {
                    let hex = String(unit, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                }
            }
        }
        return out + "\""
    }

    /// Text for a `//` or `#` line comment: one line, printable characters only. Line breaks
    /// and other control characters become spaces, so the comment cannot end early.
    public static func comment(_ s: String, limit: Int = 200) -> String {
        // Fast path for ASCII text (ids, paths, framework items): one pass over the bytes,
        // where one character is one byte. Gives the same result as the general path below.
        if s.utf8.allSatisfy({ $0 < 0x80 }) {
            var bytes: [UInt8] = []
            bytes.reserveCapacity(min(s.utf8.count, limit + 1))
            var lastSpace = true  // drops leading spaces
            for b in s.utf8 {
                if b > 0x20 && b != 0x7F {
                    bytes.append(b)
                    lastSpace = false
                } else if !lastSpace {
                    bytes.append(0x20)
                    lastSpace = true
                }
            }
            if bytes.last == 0x20 { bytes.removeLast() }
            if bytes.count > limit { return String(decoding: bytes[..<(limit - 1)], as: UTF8.self) + "…" }
            return String(decoding: bytes, as: UTF8.self)
        }
        var out = ""
        var lastSpace = false
        for u in s.unicodeScalars {
            let printable = u.value >= 0x20 && u.value != 0x7F && !(0x80...0x9F).contains(u.value)
                && u != "\u{2028}" && u != "\u{2029}" && u != "\u{85}"
            if printable && u != " " {
                out.unicodeScalars.append(u)
                lastSpace = false
            } else if !lastSpace {
                out += " "
                lastSpace = true
            }
        }
        out = out.trimmingCharacters(in: .whitespaces)
        if out.count > limit { out = String(out.prefix(limit - 1)) + "…" }
        return out
    }

    /// Printable ASCII without `"` and `\`: the same literal in Cedar and Rego, no escapes needed.
    static func isPlain(_ s: String) -> Bool {
        s.utf8.allSatisfy { $0 >= 0x20 && $0 <= 0x7E && $0 != 0x22 && $0 != 0x5C }
    }

    /// Whether a string is a safe model id: lowercase letters, digits, `.`, `_` and `-`.
    /// Ids are also always written as escaped literals; this check rejects anything else
    /// before it is used to name a policy.
    public static func isSafeID(_ s: String) -> Bool {
        !s.isEmpty && s.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "." || $0 == "_" || $0 == "-" }
    }

    /// A policy id made of safe ids; anything else is replaced by `_`.
    public static func policyID(_ parts: [String]) -> String {
        parts.map { part in
            String(part.unicodeScalars.map { u -> Character in
                ("a"..."z").contains(u) || ("0"..."9").contains(u) || u == "." || u == "_" || u == "-" ? Character(u) : "_"
            })
        }.joined(separator: "-")
    }
}
