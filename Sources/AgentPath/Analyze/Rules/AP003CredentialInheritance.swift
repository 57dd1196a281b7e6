/// AP003 — a sub-agent gets its parent's credentials without a fresh decision and is itself
/// exposed to untrusted content, so whoever steers it holds the parent's authority.
public struct CredentialInheritanceRule: Rule {
    public static let info = RuleInfo(
        id: "AP003", slug: "credential-inheritance", title: "Sub-agent inherits credentials while exposed to untrusted content",
        rationale: "Credentials passed down a delegation as they are, without token exchange or a fresh authorization decision, give the sub-agent the parent's whole authority. If the sub-agent can be steered, so can that authority.",
        kind: .path, defaultScore: nil, cutBy: [.jitCredentials, .runtimeAuthorization, .quarantine])

    public init() {}

    public func find(_ input: RuleInput) -> [PathCandidate] {
        let ctx = input.ctx
        var out: [PathCandidate] = []
        let budget = input.budget
        var reachOf: [String: (Double, String, String)] = [:]
        for parent in ctx.agents {
            for d in parent.delegates where !d.passes.isEmpty && !d.freshAuthorization && d.exchange == .none {
                guard let child = ctx.agent(d.to.id) else { continue }
                for k in input.influencesReaching(child.id) {
                    let inf = input.influences[k]
                    guard let chain = inf.chain(child.id) else { continue }
                    for p in d.passes {
                        // A thief already holds the credential; inheriting it adds nothing.
                        guard p.id != inf.origin.id, let c = ctx.credential(p.id), budget.take(inf.origin.id, "\(parent.id)->\(child.id)") else { continue }
                        let inherit = input.evaluator.step(child.id, .agent, .credentialInherit, via: c.id,
                            "agent '\(parent.id)' passes '\(c.id)' to '\(child.id)' with no fresh authorization", at: p.location,
                            targets: [child.id, parent.id, c.id], agent: child)
                        let (score, reason, grantText) = reachOf[c.id] ?? CredentialReach.impact(of: c, ctx)
                        reachOf[c.id] = (score, reason, grantText)
                        let use = input.evaluator.step(c.id, .credential, .credentialUse, via: child.id,
                            "steered '\(child.id)' uses '\(c.id)' against \(grantText)", at: c.info.location(of: "grants"),
                            targets: [c.id, child.id], agent: child)
                        out.append(PathCandidate(
                            entry: inf.origin.id, impactKey: "\(parent.id)->\(child.id)",
                            impact: "'\(child.id)' wields '\(parent.id)''s credential '\(c.id)'",
                            summary: "\(inf.origin.text) steers sub-agent '\(child.id)', which holds '\(c.id)' inherited from '\(parent.id)'",
                            steps: chain.steps + [inherit, use], impactScore: score, impactReason: reason,
                            exposure: inf.origin.exposure, exposureReason: inf.origin.exposureReason, actor: child, location: p.location))
                    }
                }
            }
        }
        return out
    }
}

/// What a credential reaches, scored for impact.
enum CredentialReach {
    static func impact(of c: Credential, _ ctx: AnalysisContext) -> (Double, String, String) {
        var best = (2.0, "grants nothing the model names")
        var names: [String] = []
        for g in c.grants {
            if let d = ctx.data(g.id) {
                names.append("'\(d.id)'")
                let s = Impact.effect(.read, data: d.sensitivity) + (d.sensitivity >= .restricted ? 2 : 1.5)
                if s > best.0 { best = (min(s, 9.5), "grants access to \(d.sensitivity.rawValue) '\(d.id)'") }
            } else if let t = ctx.tool(g.id) {
                names.append("'\(t.id)'")
                for e in ctx.consequentialEffects(of: t) where Impact.effect(e) > best.0 {
                    best = (Impact.effect(e), "grants '\(t.id)' (\(e.rawValue))")
                }
            }
        }
        for t in ctx.toolsOperated(by: c) {
            for e in ctx.consequentialEffects(of: t) where Impact.effect(e) > best.0 {
                best = (Impact.effect(e), "operates '\(t.id)' (\(e.rawValue))")
            }
        }
        let text = names.isEmpty ? "what it grants" : names.prefix(4).joined(separator: ", ") + (names.count > 4 ? " and \(names.count - 4) more" : "")
        return (best.0, best.1, text)
    }
}
