/// A light YAML node tree that keeps where every node came from. Built from libyaml events
/// by `YAMLReader`; anchors, aliases and merge keys are already resolved in it.
public struct YAMLNode: Sendable {
    public enum Content: Sendable {
        case scalar(YAMLScalar)
        case mapping([YAMLPair])
        case sequence([YAMLNode])
    }

    public var content: Content
    public var location: SourceLocation
    /// Nodes in this subtree, counting itself; used to bound alias expansion.
    public var size: Int

    public init(_ content: Content, at location: SourceLocation, size: Int) {
        self.content = content
        self.location = location
        self.size = size
    }

    public var scalar: YAMLScalar? {
        if case .scalar(let s) = content { return s }
        return nil
    }

    public var mapping: [YAMLPair]? {
        if case .mapping(let m) = content { return m }
        return nil
    }

    public var sequence: [YAMLNode]? {
        if case .sequence(let s) = content { return s }
        return nil
    }

    /// What the node is, in words for a diagnostic: "a list", "a mapping", "the number 3".
    public var kindDescription: String {
        switch content {
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case .scalar(let s):
            switch s.resolved {
            case .null: return "null"
            case .bool(let b): return "the boolean \(b)"
            case .int, .float: return "the number \(s.text)"
            case .string: return "a string"
            }
        }
    }
}

public struct YAMLPair: Sendable {
    public var key: YAMLNode
    public var value: YAMLNode
}

public struct YAMLScalar: Sendable {
    public var text: String
    /// Plain (unquoted, untagged) scalars are resolved by the YAML 1.2 core schema;
    /// quoted or `!!str` scalars are always strings.
    public var isPlain: Bool

    public enum Resolved: Sendable, Equatable {
        case null, bool(Bool), int(Int), float(Double), string(String)
    }

    /// YAML 1.2 core schema: `yes`, `no`, `on`, `off` are strings; only true/false are booleans.
    public var resolved: Resolved {
        guard isPlain else { return .string(text) }
        switch text {
        case "", "~", "null", "Null", "NULL": return .null
        case "true", "True", "TRUE": return .bool(true)
        case "false", "False", "FALSE": return .bool(false)
        default: break
        }
        if let first = text.utf8.first, first == UInt8(ascii: "-") || first == UInt8(ascii: "+") || (first >= 48 && first <= 57) || first == UInt8(ascii: ".") {
            if let i = Int(text) { return .int(i) }
            if text.hasPrefix("0x"), let i = Int(text.dropFirst(2), radix: 16) { return .int(i) }
            if text.hasPrefix("0o"), let i = Int(text.dropFirst(2), radix: 8) { return .int(i) }
            if let d = Double(text), !text.contains("_") { return .float(d) }
        }
        switch text {
        case ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF": return .float(.infinity)
        case "-.inf", "-.Inf", "-.INF": return .float(-.infinity)
        case ".nan", ".NaN", ".NAN": return .float(.nan)
        default: return .string(text)
        }
    }
}
