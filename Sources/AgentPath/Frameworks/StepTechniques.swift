extension Crosswalk {
    /// The techniques an attack-path step can use (`StepTechnique`), with a summary each. Their
    /// names are fixed: the crosswalk's `steps:` section maps each one to ATLAS techniques and one
    /// MAESTRO layer, and the analyzer labels every hop of a path with one of them.
    public static let stepTechniques: [(name: String, summary: String)] = [
        ("ingest-untrusted", "untrusted content enters an agent's context (indirect prompt injection)"),
        ("direct-prompt", "an external person instructs the agent"),
        ("tool-description", "tool descriptions of an unpinned server enter the context"),
        ("launcher-setting", "a launcher sets the agent's prompt or switches approvals off"),
        ("delegate", "work handed to a sub-agent"),
        ("return", "a sub-agent's result returns to its parent"),
        ("read-sensitive", "the agent reads sensitive data through a tool"),
        ("egress", "data sent out over the network"),
        ("public-write", "data written into a public-audience store"),
        ("render-fetch", "the client fetches URLs in rendered output by itself"),
        ("invoke-consequential", "a destructive, payment, code-execution or state-changing tool call"),
        ("memory-write", "content written into memory or a store a later session reads"),
        ("memory-read", "stored memory read back into an agent's context"),
        ("credential-exposure", "a secret readable from where it is stored"),
        ("credential-use", "a stolen or inherited credential used against what it grants"),
        ("credential-inherit", "a credential passed down a delegation"),
        ("forge-message", "a forged inter-agent message"),
        ("bypass-approval", "an approved action reached by a route without the approval"),
        ("autonomous-action", "the agent acts on its own error or drift"),
        ("server-internal", "an action inside an MCP server's own process"),
        ("on-behalf-of", "an agent uses its own grant for a requester who lacks it (confused deputy)"),
    ]

    /// The names, in the order of `StepTechnique.allCases` (a test keeps the two lists equal).
    public static let stepTechniqueNames: [String] = stepTechniques.map(\.name)
}
