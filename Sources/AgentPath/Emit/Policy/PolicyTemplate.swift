import Foundation

/// A value a policy template is rendered with.
public enum TemplateValue: Sendable {
    /// Inserted as is by `{{{name}}}`; as a section, rendered once (with the text as `.`).
    case text(String)
    /// As a section, rendered when true; as an inverted section, when false.
    case flag(Bool)
    /// As a section, rendered once per item, with the item's keys in scope.
    case list([[String: TemplateValue]])
    /// As a section, rendered once per string, with the string as `{{{.}}}`.
    case texts([String])
}

/// The Mustache subset the policy templates use, rendered without reflection: sections
/// `{{#name}}`, inverted sections `{{^name}}`, comments `{{! … }}` and unescaped variables
/// `{{{name}}}` / `{{{.}}}`, with the spec's standalone-line rule (a line holding only a section
/// tag, an end tag or a comment disappears). Policy output is not HTML, so the escaping variable
/// `{{name}}` is refused when the template is loaded: every value is escaped by `PolicyText`
/// before it reaches a template. The same text renders the same with swift-mustache (a test
/// compares both on every example model); this renderer is many times faster on large models,
/// where a policy file has tens of thousands of rules.
public struct PolicyTemplate: Sendable {
    indirect enum Node: Sendable {
        case text(String)
        case variable(String)
        case section(String, [Node], inverted: Bool)
    }

    public struct ParseError: Error, CustomStringConvertible {
        public var description: String
    }

    let nodes: [Node]

    private enum Token {
        case text(String)
        case variable(String)
        case open(String, inverted: Bool)
        case close(String)
        case comment

        var canStandAlone: Bool {
            switch self {
            case .open, .close, .comment: true
            case .text, .variable: false
            }
        }
    }

    public init(string: String) throws {
        // 1. Tokens.
        var tokens: [Token] = []
        var rest = Substring(string)
        while let start = rest.range(of: "{{") {
            if start.lowerBound > rest.startIndex { tokens.append(.text(String(rest[..<start.lowerBound]))) }
            let afterOpen = rest[start.upperBound...]
            if afterOpen.hasPrefix("{") {
                guard let end = afterOpen.range(of: "}}}") else { throw ParseError(description: "unclosed {{{") }
                let name = afterOpen[afterOpen.index(after: afterOpen.startIndex)..<end.lowerBound].trimmingSpaces
                tokens.append(.variable(name))
                rest = afterOpen[end.upperBound...]
                continue
            }
            guard let end = afterOpen.range(of: "}}") else { throw ParseError(description: "unclosed {{") }
            let inner = afterOpen[..<end.lowerBound]
            let body = inner.dropFirst().trimmingSpaces
            switch inner.first {
            case "#": tokens.append(.open(body, inverted: false))
            case "^": tokens.append(.open(body, inverted: true))
            case "/": tokens.append(.close(body))
            case "!": tokens.append(.comment)
            default:
                throw ParseError(description: "{{\(inner)}}: policy templates insert values with {{{name}}} (values are escaped for the policy language, not for HTML)")
            }
            rest = afterOpen[end.upperBound...]
        }
        if !rest.isEmpty { tokens.append(.text(String(rest))) }

        // 2. Standalone lines, decided on the original text, then trimmed.
        var cutStart = [Int?](repeating: nil, count: tokens.count)  // drop text before this offset (through a line break)
        var cutEnd = [Int?](repeating: nil, count: tokens.count)  // drop text from this offset (a line's indentation)
        func isBlank<S: StringProtocol>(_ s: S) -> Bool { s.utf8.allSatisfy { $0 == 0x20 || $0 == 0x09 || $0 == 0x0D } }
        for (i, token) in tokens.enumerated() where token.canStandAlone {
            var before: Int?? = .some(nil)  // .some(nil): nothing to trim; nil: not standalone
            if i > 0 {
                guard case .text(let t) = tokens[i - 1] else { continue }
                let u = Array(t.utf8)
                if let nl = u.lastIndex(of: 0x0A) {
                    before = isBlank(String(decoding: u[(nl + 1)...], as: UTF8.self)) ? .some(nl + 1) : nil
                } else {
                    before = i - 1 == 0 && isBlank(t) ? .some(0) : nil
                }
            }
            guard let trimBefore = before else { continue }
            var after: Int?? = .some(nil)
            if i + 1 < tokens.count {
                guard case .text(let t) = tokens[i + 1] else { continue }
                let u = Array(t.utf8)
                if let nl = u.firstIndex(of: 0x0A) {
                    after = isBlank(String(decoding: u[..<nl], as: UTF8.self)) ? .some(nl + 1) : nil
                } else {
                    after = i + 1 == tokens.count - 1 && isBlank(t) ? .some(u.count) : nil
                }
            }
            guard let trimAfter = after else { continue }
            if let b = trimBefore { cutEnd[i - 1] = b }
            if let a = trimAfter { cutStart[i + 1] = a }
        }
        for i in tokens.indices {
            guard case .text(let t) = tokens[i], cutStart[i] != nil || cutEnd[i] != nil else { continue }
            let u = Array(t.utf8)
            let from = cutStart[i] ?? 0
            let to = max(from, cutEnd[i] ?? u.count)
            tokens[i] = .text(String(decoding: u[from..<to], as: UTF8.self))
        }

        // 3. Tree.
        var stack: [(name: String, inverted: Bool, nodes: [Node])] = [("", false, [])]
        for token in tokens {
            switch token {
            case .text(let t): if !t.isEmpty { stack[stack.count - 1].nodes.append(.text(t)) }
            case .variable(let v): stack[stack.count - 1].nodes.append(.variable(v))
            case .comment: break
            case .open(let name, let inverted): stack.append((name, inverted, []))
            case .close(let name):
                guard stack.count > 1, stack[stack.count - 1].name == name else {
                    throw ParseError(description: "{{/\(name)}} closes no open section")
                }
                let done = stack.removeLast()
                stack[stack.count - 1].nodes.append(.section(done.name, done.nodes, inverted: done.inverted))
            }
        }
        guard stack.count == 1 else { throw ParseError(description: "section {{#\(stack[stack.count - 1].name)}} is not closed") }
        nodes = stack[0].nodes
    }

    private enum Frame {
        case object([String: TemplateValue])
        case text(String)
    }

    public func render(_ context: [String: TemplateValue]) -> String {
        var out = ""
        var stack: [Frame] = [.object(context)]
        Self.render(nodes, &stack, &out)
        return out
    }

    private static func lookup(_ name: String, _ stack: [Frame]) -> TemplateValue? {
        if name == "." {
            switch stack.last {
            case .text(let t): return .text(t)
            default: return nil
            }
        }
        for frame in stack.reversed() {
            if case .object(let o) = frame, let v = o[name] { return v }
        }
        return nil
    }

    private static func render(_ nodes: [Node], _ stack: inout [Frame], _ out: inout String) {
        for node in nodes {
            switch node {
            case .text(let t):
                out += t
            case .variable(let name):
                switch lookup(name, stack) {
                case .text(let t): out += t
                case .flag(let b): out += b ? "true" : "false"
                case .list, .texts, .none: break
                }
            case .section(let name, let body, let inverted):
                let value = lookup(name, stack)
                if inverted {
                    let empty: Bool
                    switch value {
                    case .none: empty = true
                    case .flag(let b): empty = !b
                    case .list(let l): empty = l.isEmpty
                    case .texts(let l): empty = l.isEmpty
                    case .text: empty = false
                    }
                    if empty { render(body, &stack, &out) }
                    continue
                }
                switch value {
                case .none: break
                case .flag(let b): if b { render(body, &stack, &out) }
                case .text(let t):
                    stack.append(.text(t))
                    render(body, &stack, &out)
                    stack.removeLast()
                case .list(let items):
                    for item in items {
                        stack.append(.object(item))
                        render(body, &stack, &out)
                        stack.removeLast()
                    }
                case .texts(let items):
                    for item in items {
                        stack.append(.text(item))
                        render(body, &stack, &out)
                        stack.removeLast()
                    }
                }
            }
        }
    }
}

extension Substring {
    fileprivate var trimmingSpaces: String {
        String(drop { $0 == " " }.reversed().drop { $0 == " " }.reversed())
    }
}
