/// AP001 — the lethal trifecta, in one agent or spread over a delegation chain.
public struct ExfiltrationRule: Rule {
    public static let info = RuleInfo(
        id: "AP001", slug: "exfiltration", title: "Untrusted content can make agents leak sensitive data",
        rationale: "An agent steered by untrusted content, that can read data above what a sink may carry and can send data out, can be told to send it out. The legs may sit in one agent or be spread over a delegation chain.",
        kind: .path, defaultScore: nil, cutBy: [.quarantine, .egressAllowlist, .humanApproval, .runtimeAuthorization])

    public init() {}

    public func find(_ input: RuleInput) -> [PathCandidate] {
        let ctx = input.ctx
        var out: [PathCandidate] = []
        let budget = input.budget
        // Read, egress and hand-on steps do not depend on the origin: build each once.
        var readSteps: [String: PathStep] = [:]
        var egressSteps: [String: PathStep] = [:]
        var flowSteps: [String: PathStep] = [:]
        // Influence spreads along the same hops as data, so every agent the read data flows
        // to is steered by the same origin: the flows from an agent do not depend on the
        // origin, and neither does the least sensitive level its reachable sinks may carry.
        var flowsFrom: [String: [(Agent, [PathStep])]] = [:]
        var reachableSinks: [String: [(allowed: Sensitivity, target: String?)]] = [:]
        for inf in input.influences {
            for xid in inf.order {
                guard let x = ctx.agent(xid) else { continue }
                if flowsFrom[xid] == nil {
                    let f = flows(from: x, input, memo: &flowSteps)
                    flowsFrom[xid] = f
                    reachableSinks[xid] = f.flatMap { ctx.egressSinks(of: $0.0) }.map { ($0.allowed, $0.target?.id) }
                }
                let sinks = reachableSinks[xid]!
                guard !sinks.isEmpty else { continue }
                var reads: [AnalysisContext.Ingest] = []
                // Only reads some reachable sink can leak (a sink never leaks the store it writes).
                for r in ctx.ingests(of: x) where sinks.contains(where: { r.data.sensitivity > $0.allowed && r.data.id != $0.target }) {
                    if budget.wouldTake(inf.origin.id, r.data.id) { reads.append(r) } else { budget.recordDropped(inf.origin.id, r.data.id) }
                }
                guard !reads.isEmpty, let chain = inf.chain(xid) else { continue }
                // Groups fill up; once every read's group is full, the rest cannot add to them.
                var full = Set<String>()
                let distinct = Set(reads.map(\.data.id)).count
                flowLoop: for (y, flow) in flowsFrom[xid]! {
                    for sink in ctx.egressSinks(of: y) {
                        if full.count == distinct { break flowLoop }
                        for r in reads where r.data.sensitivity > sink.allowed && r.data.id != sink.target?.id && !full.contains(r.data.id) {
                            guard budget.take(inf.origin.id, r.data.id) else {
                                full.insert(r.data.id)
                                continue
                            }
                            let readKey = "\(x.id)|\(r.tool?.id ?? "")|\(r.data.id)|\(r.viaMemory)"
                            let read = readSteps[readKey] ?? input.evaluator.step(x.id, .agent, .readSensitive, via: r.tool?.id ?? r.data.id,
                                "agent '\(x.id)' reads \(r.data.sensitivity.rawValue) '\(r.data.id)'\(r.tool.map { " through '\($0.id)'" } ?? "")",
                                at: r.location, targets: [x.id, r.data.id] + (r.tool.map { [$0.id] } ?? []), agent: x, tool: r.tool, effect: .read)
                            readSteps[readKey] = read
                            let egressKey = "\(y.id)|\(sink.key)|\(sink.technique.rawValue)"
                            let egressText: String
                            switch sink.technique {
                            case .publicWrite: egressText = "agent '\(y.id)' writes it into \(sink.target!.audience.rawValue)-audience '\(sink.target!.id)' through '\(sink.tool!.id)'"
                            case .renderFetch: egressText = "agent '\(y.id)' emits \(y.output.renders.rawValue) whose URLs its client fetches by itself"
                            default: egressText = "agent '\(y.id)' sends it out through '\(sink.tool!.id)' (egress: \(sink.tool!.egress.rawValue))"
                            }
                            let egress = egressSteps[egressKey] ?? input.evaluator.step(y.id, .agent, sink.technique, via: sink.tool?.id ?? sink.target?.id,
                                egressText, at: sink.location, targets: [y.id] + [sink.tool?.id, sink.target?.id].compactMap { $0 },
                                agent: y, tool: sink.tool, effect: sink.technique == .publicWrite ? .write : (sink.technique == .egress ? .egress : nil))
                            egressSteps[egressKey] = egress
                            let steps = chain.steps + [read] + flow + [egress]
                            out.append(PathCandidate(
                                entry: inf.origin.id, impactKey: r.data.id,
                                impact: "\(r.data.sensitivity.rawValue) '\(r.data.id)' leaks",
                                summary: "\(inf.origin.text) steers \(x.id == y.id ? "agent '\(x.id)'" : "agents '\(x.id)' and '\(y.id)'") to read '\(r.data.id)' and send it to \(sink.destination)",
                                steps: steps, impactScore: Impact.exfiltration(r.data.sensitivity, allowed: sink.allowed),
                                impactReason: "\(r.data.sensitivity.rawValue) data to a sink that may carry \(sink.allowed.rawValue) at most",
                                exposure: inf.origin.exposure, exposureReason: inf.origin.exposureReason, actor: y, location: egress.location))
                        }
                    }
                }
            }
        }
        return out
    }

    /// Agents (with the hops) that data read by `x` reaches through context and returns;
    /// `x` itself first.
    func flows(from x: Agent, _ input: RuleInput, memo: inout [String: PathStep]) -> [(Agent, [PathStep])] {
        var out: [(Agent, [PathStep])] = [(x, [])]
        var seen: Set<String> = [x.id]
        var head = 0
        while head < out.count {
            let (a, hops) = out[head]
            head += 1
            for (next, technique, d, at) in input.ctx.flowNeighbours(of: a) where !seen.contains(next.id) {
                seen.insert(next.id)
                let key = "\(a.id)>\(next.id)>\(technique.rawValue)"
                let s: PathStep
                if let cached = memo[key] {
                    s = cached
                } else {
                    let text = technique == .delegate
                        ? "agent '\(a.id)' passes it to '\(next.id)' in \(d.context.rawValue) context"
                        : "agent '\(a.id)' returns it to '\(next.id)' (\(d.returns.rawValue) result)"
                    s = input.evaluator.step(next.id, .agent, technique, via: a.id, text, at: at, targets: [next.id], agent: next)
                    memo[key] = s
                }
                out.append((next, hops + [s]))
            }
        }
        return out
    }
}
