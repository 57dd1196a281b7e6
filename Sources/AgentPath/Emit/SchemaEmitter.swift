/// The JSON Schema (draft 2020-12) of the model language, generated from `LanguageSpec`.
public enum SchemaEmitter {
    public static let id = "https://agentpath.dev/schema/agentpath.schema.json"

    public static func emit() -> String {
        let header: [(String, JSON)] = [
            ("$schema", .string("https://json-schema.org/draft/2020-12/schema")),
            ("$id", .string(id)),
            ("title", .string("agentpath model v\(LanguageSpec.version)")),
            ("description", .string("One file of an agentpath threat model of an AI-agent system. See docs/model-language.md.")),
        ]
        return JSON.object(header + object(LanguageSpec.file)).rendered()
    }

    static func object(_ spec: ObjectSpec) -> [(String, JSON)] {
        var properties: [(String, JSON)] = []
        for f in spec.fields { properties.append((f.name, field(f))) }
        var out: [(String, JSON)] = [("type", .string("object")), ("additionalProperties", .bool(false)), ("properties", .object(properties))]
        let required = spec.fields.filter(\.required).map(\.name)
        if !required.isEmpty { out.append(("required", JSON.strings(required))) }
        return out
    }

    static func field(_ f: FieldSpec) -> JSON {
        var out = type(f.type)
        var doc = f.doc
        if let d = f.defaultValue { doc += " Default: \(d)." }
        out.insert(("description", .string(doc)), at: 0)
        return .object(out)
    }

    static let idPattern = "^[a-z0-9][a-z0-9._-]*$"

    static func type(_ t: FieldType) -> [(String, JSON)] {
        switch t {
        case .string: return [("type", .string("string"))]
        case .bool: return [("type", .string("boolean"))]
        case .duration: return [("type", .string("string")), ("pattern", .string("^(never|([0-9]+d)?([0-9]+h)?([0-9]+m)?([0-9]+s)?)$"))]
        case .strings: return [("type", .string("array")), ("items", .object([("type", .string("string"))]))]
        case .enumeration(let values):
            if values == ["1"] { return [("const", .int(1))] }
            return [("enum", JSON.strings(values))]
        case .enumerations(let values): return [("type", .string("array")), ("items", .object([("enum", JSON.strings(values))]))]
        case .ref: return [("type", .string("string")), ("pattern", .string(idPattern))]
        case .refs: return [("type", .string("array")), ("items", .object([("type", .string("string")), ("pattern", .string(idPattern))]))]
        case .object(let spec): return object(spec)
        case .objects(let spec):
            var item = object(spec)
            if spec.field("id")?.required == true, spec.name != "intent" {
                item = item.map { $0.0 == "properties" ? ($0.0, idProperty($0.1)) : $0 }
            }
            if spec.name == "memory use" {
                return [("type", .string("array")), ("items", .object([("oneOf", .array([.object([("type", .string("string")), ("pattern", .string(idPattern))]), .object(item)]))]))]
            }
            return [("type", .string("array")), ("items", .object(item))]
        }
    }

    /// Element ids carry the id pattern.
    static func idProperty(_ properties: JSON) -> JSON {
        guard case .object(let pairs) = properties else { return properties }
        return .object(pairs.map { name, value in
            guard name == "id", case .object(var inner) = value else { return (name, value) }
            if !inner.contains(where: { $0.0 == "pattern" }) { inner.append(("pattern", .string(idPattern))) }
            return (name, .object(inner))
        })
    }
}
