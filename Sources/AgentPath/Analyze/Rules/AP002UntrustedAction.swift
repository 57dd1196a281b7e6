/// AP002 — untrusted content steers a destructive, payment, code-execution or state-changing call.
public struct UntrustedActionRule: Rule {
    public static let info = RuleInfo(
        id: "AP002", slug: "untrusted-action", title: "Untrusted content can trigger consequential actions",
        rationale: "Whatever reaches an agent's context can steer its tool calls. An agent that reads attacker-writable content and holds tools that delete, pay, execute code or change trusted state can be made to use them.",
        kind: .path, defaultScore: nil, cutBy: [.humanApproval, .sandbox, .quarantine, .runtimeAuthorization])

    public init() {}

    public func find(_ input: RuleInput) -> [PathCandidate] {
        let ctx = input.ctx
        var out: [PathCandidate] = []
        let budget = input.budget
        for inf in input.influences {
            for yid in inf.order {
                guard let y = ctx.agent(yid) else { continue }
                if !budget.wouldTake(inf.origin.id, y.id) {
                    if ctx.tools(of: y).contains(where: { !ctx.consequentialEffects(of: $0).isEmpty }) { budget.recordDropped(inf.origin.id, y.id) }
                    continue
                }
                guard let chain = inf.chain(yid) else { continue }
                for t in ctx.tools(of: y) {
                    for e in ctx.consequentialEffects(of: t) {
                        let targets = t.writes.compactMap { ctx.data($0.id) }
                        // Writing into attacker-readable data is AP001's egress; writing into
                        // already-untrusted data changes nothing an attacker could not.
                        if e == .write, !targets.isEmpty, targets.allSatisfy({ $0.audience == .public || ctx.isUntrusted($0) }) { continue }
                        guard budget.take(inf.origin.id, y.id) else { continue }
                        let sensitivity = targets.map(\.sensitivity).max()
                        let what = e == .write && !targets.isEmpty ? "writes into '\(targets.map(\.id).joined(separator: "', '"))'" : e.rawValue.replacingOccurrences(of: "_", with: " ")
                        let act = input.evaluator.step(y.id, .agent, .invokeConsequential, via: t.id,
                            "agent '\(y.id)' calls '\(t.id)' (\(what))", at: t.info.location(of: "effects"),
                            targets: [y.id, t.id] + targets.map(\.id), agent: y, tool: t, effect: e)
                        out.append(PathCandidate(
                            entry: inf.origin.id, impactKey: y.id,
                            impact: "consequential calls by '\(y.id)'",
                            summary: "\(inf.origin.text) steers agent '\(y.id)' to call '\(t.id)' (\(e.rawValue))",
                            steps: chain.steps + [act], impactScore: Impact.effect(e, data: sensitivity),
                            impactReason: "\(e.rawValue) effect\(sensitivity.map { " on \($0.rawValue) data" } ?? "")",
                            exposure: inf.origin.exposure, exposureReason: inf.origin.exposureReason, actor: y, location: act.location))
                    }
                }
            }
        }
        return out
    }
}
