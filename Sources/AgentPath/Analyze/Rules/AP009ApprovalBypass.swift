/// AP009 — an effect that needs a person's approval in one place is reachable without it
/// through a sub-agent or another tool with the same effect on the same target.
public struct ApprovalBypassRule: Rule {
    public static let info = RuleInfo(
        id: "AP009", slug: "approval-bypass", title: "Human approval can be stepped around",
        rationale: "An approval that guards one tool or one agent does not guard the same effect elsewhere. A sub-agent that holds the tool without the approval, or a second tool with the same effect, is the way around it.",
        kind: .path, defaultScore: nil, cutBy: [.humanApproval])

    public init() {}

    public func find(_ input: RuleInput) -> [PathCandidate] {
        let ctx = input.ctx
        var out: [PathCandidate] = []
        for ap in ctx.model.model.controls where ap.kind == .humanApproval && ap.isEnforced && ap.grant != .allowAlways {
            // What the approval guards: (tool, effect) pairs and the data they act on.
            var guarded: [(Tool, Effect)] = []
            for r in ap.appliesTo {
                if let t = ctx.tool(r.id) {
                    guarded += ctx.consequentialEffects(of: t).filter { ap.covers($0) }.map { (t, $0) }
                } else if let a = ctx.agent(r.id) {
                    for t in ctx.tools(of: a) { guarded += ctx.consequentialEffects(of: t).filter { ap.covers($0) }.map { (t, $0) } }
                }
            }
            var seen = Set<String>()
            // Cover elsewhere counts only if it is as strong as the approval it stands for.
            let guardBlocks = ap.shows == .fullArguments && ap.grant == .perCall
            for (gt, e) in guarded {
                let targets = Set(gt.writes.map(\.id))
                // Only holders of the guarded tool or of a tool writing the same targets can
                // step around it: find them through the indexes, then visit them in model order.
                var tools = Set([gt.id])
                for d in targets { for p in ctx.toolsWriting[d] ?? [] { tools.insert(ctx.model.model.tools[p].id) } }
                var agents = Set<Int>()
                for t in tools { for h in ctx.holders[t] ?? [] { if let p = ctx.position(of: h) { agents.insert(p) } } }
                for a in agents.sorted().map({ ctx.agents[$0] }) {
                    for t in ctx.tools(of: a) where t.has(e) {
                        let sameTool = t.id == gt.id
                        let sameTarget = !targets.isEmpty && !targets.isDisjoint(with: t.writes.map(\.id))
                        guard sameTool || sameTarget else { continue }
                        let covered = ctx.controls(on: [a.id, t.id] + (t.server.map { [$0.id] } ?? [])).contains {
                            $0.kind == .humanApproval && $0.isEnforced && $0.grant != .allowAlways && $0.covers(e)
                                && (!guardBlocks || ($0.shows == .fullArguments && $0.grant == .perCall))
                        }
                        guard !covered, seen.insert("\(a.id)|\(t.id)|\(e.rawValue)").inserted else { continue }
                        let how = sameTool ? "holds '\(t.id)' itself" : "has '\(t.id)' with the same \(e.rawValue) effect on '\(targets.intersection(t.writes.map(\.id)).sorted().joined(separator: "', '"))'"
                        let step = input.evaluator.step(a.id, .agent, .bypassApproval, via: t.id,
                            "approval '\(ap.id)' guards '\(gt.id)', but agent '\(a.id)' \(how) with no approval", at: t.info.location(of: "effects"),
                            targets: [a.id, t.id], agent: a, tool: t, effect: e)
                        out.append(PathCandidate(entry: ap.id, impactKey: "\(a.id):\(t.id)", impact: "'\(e.rawValue)' without approval through '\(t.id)'",
                            summary: "approval '\(ap.id)' can be stepped around: '\(a.id)' reaches the same \(e.rawValue) through '\(t.id)'",
                            steps: [step], impactScore: Impact.effect(e), impactReason: "\(e.rawValue) that was meant to need approval",
                            exposure: ctx.delegators[a.id] != nil ? 0.8 : 0.6,
                            exposureReason: ctx.delegators[a.id] != nil ? "reachable by delegation from an approved agent" : "a second way to the same effect",
                            actor: a, location: step.location))
                    }
                }
            }
        }
        return out
    }
}
