import HakenCore

/// 写真提出の同意書 (AFT-1): once per fiscal year per business, pre-filled from its details.
public enum ConsentForm {
    public struct Business: Sendable, Equatable {
        public var name: String
        public var postalCode: String?
        public var address: String?
        public var representative: String?
        public var contactName: String
        public var email: String

        public init(name: String, postalCode: String?, address: String?, representative: String?, contactName: String, email: String) {
            self.name = name
            self.postalCode = postalCode
            self.address = address
            self.representative = representative
            self.contactName = contactName
            self.email = email
        }
    }

    /// One of the year's dispatches, listed so the consent plainly covers them.
    public struct Visit: Sendable, Equatable {
        public var date: CivilDate
        public var expert: String
        public init(date: CivilDate, expert: String) {
            self.date = date
            self.expert = expert
        }
    }

    public static func make(_ business: Business, businessID: String, year: FiscalYear, visits: [Visit], secretariatAddress: String,
                            made: FormMoment) -> PrintedForm {
        var address = business.address ?? ""
        if let postal = business.postalCode, !postal.isEmpty { address = "〒\(postal)　\(address)" }
        var blocks: [FormBlock] = [
            .addressee("専門家派遣事務局　御中", date: "提出日　\(FormDates.blankDate)"),
            .paragraph("当社は、\(year.eraLabel)（\(year.startYear)年4月1日から\(year.startYear + 1)年3月31日まで）に受ける専門家派遣について、支援機関への経営相談の際及び専門家による支援の際に撮影した写真を、専門家派遣の実施状況の確認のために事務局へ提出することに同意します。"),
            .note("提出された写真は、専門家派遣の実施の確認と事務局の審査のためにのみ使われ、それ以外の目的に使われることはありません。"),
            .heading("1. 同意する年度と事業者"),
            .fields([
                FormField("年度", "\(year.eraLabel)（\(year.label)）"),
                FormField("事業者名", business.name),
                FormField("所在地", address),
                FormField("代表者", business.representative ?? ""),
                FormField("ご担当者", business.contactName),
                FormField("登録メールアドレス", business.email),
            ]),
        ]
        if !visits.isEmpty {
            blocks.append(.heading("2. この年度の専門家派遣"))
            blocks.append(.table(columns: [FormColumn("支援日", share: 3), FormColumn("専門家", share: 2)],
                                 rows: visits.map { [FormDates.day($0.date), $0.expert] }))
        }
        blocks += [
            .heading(visits.isEmpty ? "2. 記名・押印" : "3. 記名・押印"),
            .seals([SealLine(role: "中小企業者等", lines: [FormField("事業者名", business.name), FormField("代表者氏名", business.representative ?? "")])]),
            .note("記名・押印のうえ、PDF をメールで \(secretariatAddress) へ（支援状況写真と一緒でも構いません）、または原本を郵送で事務局へお送りください。支援機関が代わりに送付することもできます。同意書は年度に1回だけ必要です。"),
        ]
        let reference = "CNS-\(year.startYear)-\(String(businessID.prefix(8)).uppercased())"
        return PrintedForm(title: "写真提出の同意書", reference: reference, madeOn: made.madeOn, madeAt: made.madeAt, blocks: blocks)
    }
}
