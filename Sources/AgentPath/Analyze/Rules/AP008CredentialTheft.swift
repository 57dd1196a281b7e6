/// AP008 — a static or long-lived secret stored where an agent's code execution, an MCP
/// server process or a reader of the content can copy it, and what it then grants.
public struct CredentialTheftRule: Rule {
    public static let info = RuleInfo(
        id: "AP008", slug: "credential-theft", title: "Long-lived secret can be stolen and replayed",
        rationale: "A bearer secret that lives long and sits in the environment, a file, code or content can be copied by anything that runs beside it and replayed from anywhere until someone notices.",
        kind: .path, defaultScore: nil, cutBy: [.jitCredentials, .sandbox])

    public init() {}

    public func find(_ input: RuleInput) -> [PathCandidate] {
        let ctx = input.ctx
        var out: [PathCandidate] = []
        for c in ctx.model.model.credentials {
            let (score, reason, grantText) = CredentialReach.impact(of: c, ctx)
            for x in ctx.exposures(of: c, evaluator: input.evaluator) {
                let use = input.evaluator.step(c.id, .credential, .credentialUse, via: nil,
                    "the copied '\(c.id)' (ttl \(c.ttl), \(c.binding.rawValue)) is replayed against \(grantText)", at: c.info.location(of: "ttl"),
                    targets: [c.id])
                out.append(PathCandidate(entry: c.id, impactKey: c.id,
                    impact: "'\(c.id)' is replayed against \(grantText)",
                    summary: "\(x.reason): '\(c.id)' can be copied and replayed",
                    steps: [x.step, use], impactScore: score, impactReason: reason, exposure: x.exposure, exposureReason: x.reason,
                    actor: nil, location: c.info.location(of: "storage")))
            }
        }
        return out
    }
}
