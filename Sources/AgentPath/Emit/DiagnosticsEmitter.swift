/// Renders diagnostics for people (one line each, optionally coloured) or tools (JSON).
public enum DiagnosticsEmitter {
    public static func text(_ diagnostics: [Diagnostic], color: Bool) -> String {
        var out = ""
        for d in diagnostics {
            if color {
                let tint = d.severity == .error ? "\u{1B}[1;31m" : d.severity == .warning ? "\u{1B}[1;35m" : "\u{1B}[1;36m"
                out += "\u{1B}[1m\(d.locationText):\u{1B}[0m \(tint)\(d.severity.rawValue):\u{1B}[0m \(d.message) \u{1B}[2m[\(d.code.rawValue)]\u{1B}[0m\n"
            } else {
                out += d.text + "\n"
            }
        }
        return out
    }

    public static func json(_ diagnostics: [Diagnostic]) -> JSON {
        .array(diagnostics.map { d in
            .object([
                ("severity", .string(d.severity.rawValue)),
                ("code", .string(d.code.rawValue)),
                ("message", .string(d.message)),
                ("file", JSON.optional(d.path)),
                ("line", d.location.line > 0 ? .int(Int(d.location.line)) : .null),
                ("column", d.location.line > 0 ? .int(Int(d.location.column)) : .null),
            ])
        })
    }

    public static func summary(errors: Int, warnings: Int) -> String {
        func plural(_ n: Int, _ word: String) -> String { "\(n) \(word)\(n == 1 ? "" : "s")" }
        return "\(plural(errors, "error")), \(plural(warnings, "warning"))"
    }
}
