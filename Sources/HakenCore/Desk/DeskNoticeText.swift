/// What the business is told after the secretariat decided something about its dispatch (#11):
/// what was decided, why, and what to do next, by when.
public enum DeskNoticeText {
    static func dispatchLabel(_ schedule: DispatchSchedule, expert: String) -> String {
        "\(JapaneseDateFormat.monthDayWeekday(schedule.date)) \(schedule.start.hhmm)〜\(schedule.end.hhmm)（専門家: \(expert)）"
    }

    static func declarationLines(_ variants: [(DeclarationVariant, [EvidenceKind])], deadline: CivilDate) -> String {
        guard !variants.isEmpty else { return "" }
        let lines = variants.map { variant, kinds in
            "・支援実施申告書兼再発防止誓約書（\(variant.japaneseName)）: \(kinds.map(\.japaneseName).joined(separator: "・"))の代わり"
        }
        return """

        次の申告書を、ご担当者・専門家・支援機関の三者の記名押印のうえ、\(JapaneseDateFormat.monthDayWeekday(deadline))までに事務局へご提出ください（スキャンしたPDFをメールで、または原本を郵送で）。
        \(lines.joined(separator: "\n"))
        期限までに提出がない場合、この支援は事業対象外となり、費用をご負担いただく場合があります。
        """
    }

    /// A report or photo the secretariat refused (DAY-4, DAY-7).
    public static func rejected(business: String, expert: String, schedule: DispatchSchedule, kinds: [EvidenceKind], reason: String,
                                declarations: [(DeclarationVariant, [EvidenceKind])], deadline: CivilDate) -> ReceiptText.Message {
        ReceiptText.Message(
            subject: "【専門家派遣】報告を受理できませんでした（\(schedule.date.month)月\(schedule.date.day)日の支援）",
            body: """
            \(business) ご担当者様

            \(dispatchLabel(schedule, expert: expert)) の支援について、次の報告を事務局で確認した結果、受理できませんでした。
            \(kinds.map { "・\($0.japaneseName)" }.joined(separator: "\n"))

            理由: \(reason)
            \(declarationLines(declarations, deadline: deadline))
            """)
    }

    /// The same, from the dispatch's facts as they were: the items are marked rejected and the
    /// declarations the dispatch then needs are named (DeclarationRules).
    public static func rejected(business: String, expert: String, schedule: DispatchSchedule, facts: DispatchFacts, kinds: [EvidenceKind],
                                reason: String, today: CivilDate) -> ReceiptText.Message {
        var after = facts
        for kind in kinds { after.evidence[kind] = EvidenceItem(status: .rejected, receivedAt: facts.evidence[kind].receivedAt) }
        let assessment = DispatchRules.assess(after, today: today)
        return rejected(business: business, expert: expert, schedule: schedule, kinds: kinds, reason: reason,
                        declarations: DeclarationRules.required(after.evidence, assessment: assessment), deadline: after.deadline)
    }

    /// DEC-7: a report from an address that was not registered, accepted after review.
    public static func accepted(business: String, expert: String, schedule: DispatchSchedule, kinds: [EvidenceKind]) -> ReceiptText.Message {
        ReceiptText.Message(
            subject: "【専門家派遣】報告を受理しました（\(schedule.date.month)月\(schedule.date.day)日の支援）",
            body: """
            \(business) ご担当者様

            \(dispatchLabel(schedule, expert: expert)) の支援について、登録されていないアドレスから届いた次の報告を、事務局で確認のうえ受理しました。
            \(kinds.map { "・\($0.japaneseName)" }.joined(separator: "\n"))

            次回からは登録メールアドレスから、または事前に携帯アドレスを登録（確認メールのリンクで有効化）のうえお送りください。確認の手間なく、すぐに受理されます。
            """)
    }

    /// DAY-4/DAY-7: the secretariat's decision on a declaration.
    public static func declaration(business: String, expert: String, schedule: DispatchSchedule, variant: DeclarationVariant,
                                   accepted: Bool, reason: String?, remaining: [(DeclarationVariant, [EvidenceKind])],
                                   deadline: CivilDate) -> ReceiptText.Message {
        let head = accepted ? "受理しました" : "受理できませんでした"
        var body = """
            \(business) ご担当者様

            \(dispatchLabel(schedule, expert: expert)) の支援について、ご提出の支援実施申告書兼再発防止誓約書（\(variant.japaneseName)）を\(head)。
            """
        if let reason { body += "\n\n\(accepted ? "備考" : "理由"): \(reason)" }
        if !remaining.isEmpty {
            body += "\n" + declarationLines(remaining, deadline: deadline)
        }
        return ReceiptText.Message(subject: "【専門家派遣】申告書を\(head)（\(schedule.date.month)月\(schedule.date.day)日の支援）", body: body)
    }
}
