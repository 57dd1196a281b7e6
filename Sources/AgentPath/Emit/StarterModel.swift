/// Fills the starter-model template. The name is written as a quoted YAML string so that
/// any text the user gives stays a plain value.
public enum StarterModel {
    public static func render(template: String, name: String, file: String) -> String {
        var quoted = ""
        JSON.quote(name, into: &quoted) // a JSON string is a valid YAML double-quoted scalar
        return template
            .replacingOccurrences(of: "{{name}}", with: quoted)
            .replacingOccurrences(of: "{{file}}", with: file)
            .replacingOccurrences(of: "{{schema}}", with: SchemaEmitter.id)
    }
}
