/// A governance finding is about one element, not a path: it has no steps, a fixed score
/// from its rule, and the element's location.
extension PathCandidate {
    static func governance(_ info: RuleInfo, element: String, key: String? = nil, impact: String, summary: String,
                           at location: SourceLocation, score: Double? = nil) -> PathCandidate {
        PathCandidate(entry: element, impactKey: key ?? element, impact: impact, summary: summary, steps: [],
                      impactScore: score ?? info.defaultScore ?? 3, impactReason: "governance gap", exposure: 1,
                      exposureReason: "applies whenever the system runs", actor: nil, location: location)
    }
}
