/// Decides, for one step, which declared controls block it, which only reduce its
/// likelihood, and which cannot act there. The table is documented in docs/analysis.md.
public struct ControlEvaluator: Sendable {
    let ctx: AnalysisContext

    public init(_ ctx: AnalysisContext) { self.ctx = ctx }

    /// Builds a step and attaches the control effects of every enforced control that
    /// applies to one of `targets` and covers `effect`.
    public func step(_ element: String, _ kind: ElementKind, _ technique: StepTechnique, via: String? = nil,
                     _ text: String, at location: SourceLocation, targets: [String], agent: Agent? = nil,
                     tool: Tool? = nil, effect: Effect? = nil, serverOnly: String? = nil) -> PathStep {
        var s = PathStep(element, kind, technique, via: via, text, at: location)
        s.effect = effect
        var ids = targets
        if let tool, let server = tool.server { ids.append(server.id) }
        for c in ctx.controls(on: ids) where c.isEnforced {
            if let effect, !c.covers(effect) { continue }
            if let serverOnly, !c.appliesTo.contains(where: { $0.id == serverOnly }) {
                if let strength = Self.strength(c, technique, agent: agent, tool: tool, effect: effect), strength != .reduces {
                    s.controls.append(ControlEffect(control: c.id, kind: c.kind, strength: .bypassed,
                        reason: "acts at the client or gateway; this step happens inside MCP server '\(serverOnly)'"))
                }
                continue
            }
            guard let strength = Self.strength(c, technique, agent: agent, tool: tool, effect: effect) else { continue }
            s.controls.append(ControlEffect(control: c.id, kind: c.kind, strength: strength, reason: Self.reason(c, strength, technique)))
        }
        s.controls.sort { ($0.strength.rawValue, $0.control) < ($1.strength.rawValue, $1.control) }
        return s
    }

    static let influence: Set<StepTechnique> = [.ingestUntrusted, .directPrompt, .memoryRead, .delegate, .return, .launcherSetting]
    static let actions: Set<StepTechnique> = [.invokeConsequential, .autonomousAction, .egress, .publicWrite, .readSensitive, .onBehalf]

    /// The kind table: what each control kind does to each step technique.
    static func strength(_ c: Control, _ t: StepTechnique, agent: Agent?, tool: Tool?, effect: Effect?) -> ControlEffect.Strength? {
        switch c.kind {
        case .quarantine:
            return influence.contains(t) ? .blocks : nil
        case .inputIsolation:
            return influence.contains(t) || t == .toolDescription ? .reduces : nil
        case .toolPinning:
            return t == .toolDescription || t == .launcherSetting ? .blocks : nil
        case .egressAllowlist:
            return t == .egress || t == .renderFetch ? .blocks : nil
        case .outputFilter:
            return t == .egress || t == .publicWrite || t == .renderFetch ? .reduces : nil
        case .humanApproval:
            guard [.invokeConsequential, .autonomousAction, .egress, .publicWrite, .onBehalf, .bypassApproval].contains(t) else { return nil }
            // "Always allow" is asked once; after that it stands in the way of nothing.
            if c.grant == .allowAlways { return .bypassed }
            return c.shows == .fullArguments && c.grant == .perCall ? .blocks : .reduces
        case .sandbox:
            if [.invokeConsequential, .autonomousAction].contains(t) { return effect == .execute ? .blocks : nil }
            return t == .credentialExposure || t == .serverInternal ? .blocks : nil
        case .runtimeAuthorization:
            if t == .credentialInherit || t == .onBehalf { return .blocks }
            guard actions.contains(t) else { return nil }
            // Bound to intents: a call outside every declared intent is denied; inside one,
            // the decision depends on request context the model cannot show.
            if let agent, let tool, !agent.intents.isEmpty, !agent.intents.contains(where: { $0.tools.contains { $0.id == tool.id } }) {
                return .blocks
            }
            return .reduces
        case .jitCredentials:
            return t == .credentialExposure || t == .credentialUse || t == .credentialInherit ? .blocks : nil
        case .messageSigning:
            return t == .forgeMessage ? .blocks : nil
        case .memoryValidation:
            return t == .memoryWrite ? .blocks : (t == .memoryRead ? .reduces : nil)
        case .rateLimit:
            return [.invokeConsequential, .autonomousAction, .egress, .publicWrite].contains(t) ? .reduces : nil
        case .auditLogging:
            return nil
        }
    }

    static func reason(_ c: Control, _ s: ControlEffect.Strength, _ t: StepTechnique) -> String {
        switch (c.kind, s) {
        case (.humanApproval, .reduces):
            return "approval shows \(c.shows.rawValue.replacingOccurrences(of: "_", with: " ")) and lasts \(c.grant.rawValue.replacingOccurrences(of: "_", with: " ")); only a per-call approval of the full arguments blocks"
        case (.humanApproval, .blocks): return "a person approves each call, seeing its full arguments"
        case (.humanApproval, .bypassed): return "an allow-always approval is asked once and then never again"
        case (.runtimeAuthorization, .blocks) where t == .credentialInherit: return "a fresh authorization decision at the delegation"
        case (.runtimeAuthorization, .blocks) where t == .onBehalf: return "each request is authorized for the person it is made for"
        case (.runtimeAuthorization, .blocks): return "the call is outside every declared intent of the agent"
        case (.runtimeAuthorization, .reduces): return "the call is inside a declared intent; the decision rests on request context"
        case (.quarantine, _): return "untrusted content is handled by a model without tools (dual LLM)"
        case (.inputIsolation, _): return "delimiting or spotlighting lowers, but does not remove, prompt injection"
        case (.toolPinning, _): return "pinned versions and descriptions stop tool poisoning and rug pulls"
        case (.egressAllowlist, _): return "only allow-listed destinations are reachable"
        case (.outputFilter, _): return "filters catch some leaks, not all"
        case (.sandbox, _): return "runs without access to the host's secrets or network"
        case (.jitCredentials, _): return "short-lived per-task credentials leave nothing worth stealing"
        case (.messageSigning, _): return "the receiver verifies who sent the message"
        case (.memoryValidation, .blocks): return "writes into memory are validated before they persist"
        case (.memoryValidation, _): return "validated memory lowers poisoning"
        case (.rateLimit, _): return "limits how much can happen before someone notices"
        default: return "\(c.kind.rawValue) \(s.rawValue) this step"
        }
    }
}
