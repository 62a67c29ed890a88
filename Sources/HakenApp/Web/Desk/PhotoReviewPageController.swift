import Foundation
import HakenCore
import HakenImage
import HakenStore
import Vapor

/// `/desk/photos` (DAY-5, CON-2): the photos nobody has looked at, oldest first, and one
/// screen per photo — the photo large, the consultation photo beside it, the consulted
/// person, the person in charge and the expert, and the four points to confirm.
enum PhotoReviewPageController {
    struct Row: Encodable {
        var id: String
        var date: String
        var business: String
        var expert: String
        var received: String
        var status: String
    }

    struct ListPage: Encodable {
        @OmitEmpty var rows: [Row]
        var total: Int
        var previous: String?
        var next: String?
    }

    static func list(req: Request) async throws -> Response {
        _ = try req.signedIn()
        try req.authorize(.manage, .secretariatDesk)
        let total = try await PhotoReview.count(on: req.db)
        let paging = try Paging.from(req, defaultPer: 50, maxPer: 200)
        let rows = try await PhotoReview.waiting(offset: paging.offset, limit: paging.per, on: req.db).map { item in
            Row(id: item.dispatch.id.apiString, date: CivilDate(iso: item.dispatch.date).map(JapaneseDateFormat.monthDayWeekday) ?? item.dispatch.date,
                business: item.dispatch.businessName ?? "", expert: item.dispatch.expertName ?? "", received: DeskLinks.time(item.receivedAt),
                status: item.status == .accepted ? "未確認" : item.status.japaneseName + "・未確認")
        }
        return try await req.page("desk-photos", title: "支援状況写真の確認", ListPage(
            rows: rows, total: total, previous: paging.page > 1 ? "/desk/photos?page=\(paging.page - 1)" : nil,
            next: paging.offset + paging.per < total ? "/desk/photos?page=\(paging.page + 1)" : nil))
    }

    struct Point: Encodable {
        var value: String
        var label: String
    }

    struct DetailPage: Encodable {
        var id: String
        var business: String
        var expert: String
        var contact: String
        var consulted: String
        var consultationDate: String
        var schedule: String
        var place: String
        var received: String
        var status: String
        var trust: String
        var note: String
        var photo: String?
        var consultationPhoto: String?
        var checked: String?
        /// No support photo yet (the screen is reached from a finding about the consultation photo).
        var noPhoto: Bool
        var points: [Point]
        /// #12: what the photo's bytes say (EXIF time, camera, GPS — the secretariat only sees GPS).
        @OmitEmpty var facts: [Fact]
        /// #12: photos of other dispatches or consultations that are this picture, side by side.
        @OmitEmpty var similar: [Similar]
    }

    struct Fact: Encodable {
        var label: String
        var value: String
    }

    struct Similar: Encodable {
        var mine: String
        var mineLabel: String
        var label: String
        var how: String
        var image: String
        var link: String?
    }

    /// The rows of the photo's facts as the desk reads them; "no EXIF" is a note, not a problem.
    static func facts(_ row: PhotoFingerprints.Row) -> [Fact] {
        let facts = row.facts
        var out: [Fact] = []
        if let taken = facts.takenAt {
            var text = "\(JapaneseDateFormat.monthDayWeekday(taken.date)) \(taken.time.hhmm)"
            if let offset = facts.offsetMinutes {
                let sign = offset < 0 ? "−" : "+"
                text += "（UTC\(sign)\(abs(offset) / 60):\(String(format: "%02d", abs(offset) % 60))"
                if let tokyo = facts.takenInTokyo, offset != TokyoClock.offsetSeconds / 60 {
                    text += "、日本時間 \(JapaneseDateFormat.monthDayWeekday(tokyo.date)) \(tokyo.time.hhmm)"
                }
                text += "）"
            } else {
                text += "（時差の記録なし: 日本時間として扱います）"
            }
            out.append(Fact(label: "撮影日時（EXIF）", value: text))
        } else {
            out.append(Fact(label: "撮影日時（EXIF）", value: facts.hasEXIF ? "記録なし" : "EXIF なし（送信時に端末が削除することがあります）"))
        }
        if let camera = facts.camera { out.append(Fact(label: "カメラ", value: camera)) }
        if let position = facts.position { out.append(Fact(label: "撮影位置（GPS、事務局のみ表示）", value: position)) }
        out.append(Fact(label: "知覚ハッシュ", value: facts.perceptualHash.map(PerceptualHash.hex) ?? "計算できません（JPEG・HEIC として読み取れない画像）"))
        out.append(Fact(label: "SHA-256", value: facts.sha256))
        return out
    }

    static func show(req: Request) async throws -> Response {
        _ = try req.signedIn()
        try req.authorize(.manage, .secretariatDesk)
        let detail = try await PhotoDeskActions.detail(req, id: req.parameters.get("id"))
        let id = detail.dispatch.id.apiString
        let schedule = try detail.dispatch.schedule()
        let page = DetailPage(
            id: id, business: detail.dispatch.businessName ?? "", expert: detail.dispatch.expertName ?? "", contact: detail.contactName,
            consulted: detail.consultedPerson ?? "（経営相談の記録がありません）",
            consultationDate: detail.consultationDate.flatMap(CivilDate.init(iso:)).map(JapaneseDateFormat.monthDayWeekday) ?? "—",
            schedule: "\(JapaneseDateFormat.monthDayWeekday(schedule.date)) \(schedule.start.hhmm)〜\(schedule.end.hhmm)", place: schedule.place,
            received: DeskLinks.time(detail.receivedAt), status: detail.status.japaneseName, trust: detail.trust.japaneseName, note: detail.note ?? "",
            photo: detail.file == nil ? nil : "/desk/photos/\(id)/file", consultationPhoto: detail.consultationPhoto == nil ? nil : "/desk/photos/\(id)/consultation",
            checked: detail.checkedAt.map { "\(DeskLinks.time($0))（\(detail.checkedBy ?? "")）" }, noPhoto: detail.status == .missing,
            points: PhotoCheck.Point.allCases.map { Point(value: $0.rawValue, label: $0.japaneseName) }, facts: [], similar: [])
        var shown = page
        let distance = req.application.haken.configuration.photoChecks.hashDistance
        // #12: what each of this dispatch's photos is close to elsewhere, as pairs.
        for (path, mine, mineLabel) in [(detail.file, "/desk/photos/\(id)/file", "この派遣の支援状況写真"),
                                        (detail.consultationPhoto, "/desk/photos/\(id)/consultation", "この派遣の経営相談の写真")] {
            guard let path, let row = try await PhotoFingerprints.forFile(path, on: req.db) else { continue }
            if row.kind == .support { shown.facts = facts(row) }
            shown.similar += try await PhotoFingerprints.near(row.facts, maxDistance: distance, excludingDispatch: detail.dispatch.id,
                                                              excludingID: row.id, on: req.db).map { match in
                Similar(mine: mine, mineLabel: mineLabel, label: match.label,
                        how: match.identical ? "同一のファイル" : "違い \(match.distance)/64ビット",
                        image: "/desk/photos/\(id)/similar/\(match.row.id.apiString)",
                        link: match.row.dispatchID.map { "/dispatches/\($0.apiString)" })
            }
        }
        return try await req.page("desk-photo", title: "支援状況写真の確認", shown)
    }

    /// Then the next photo of the queue, or the list when it is empty.
    static func decide(req: Request) async throws -> Response {
        _ = try req.signedIn()
        let principal = try req.authorize(.manage, .secretariatDesk)
        let detail = try await PhotoDeskActions.detail(req, id: req.parameters.get("id"))
        let input = PhotoDeskActions.CheckInput(decision: try? req.content.get(String.self, at: "decision"),
                                                confirmed: (try? req.content.get([String].self, at: "confirmed")) ?? [],
                                                reason: try? req.content.get(String.self, at: "reason"))
        do {
            let outcome = try await PhotoDeskActions.check(input, detail: detail, principal: principal, req: req)
            let done = outcome.status == .rejected ? "写真を不受理にしました（事業者に申告書の提出を依頼しました）。" : "写真を受理しました。"
            if let next = try await PhotoReview.waiting(offset: 0, limit: 1, on: req.db).first {
                return req.seeOther("/desk/photos/\(next.dispatch.id.apiString)", flash: done + "次の写真です。")
            }
            return req.seeOther("/desk/photos", flash: done)
        } catch let error as APIError {
            return req.seeOther("/desk/photos/\(detail.dispatch.id.apiString)", flash: error.reason)
        }
    }

    /// #12: the other photo of a pair the desk compares (any recorded photo: the desk sees them all).
    static func similarFile(req: Request) async throws -> Response {
        _ = try req.signedIn()
        try req.authorize(.manage, .secretariatDesk)
        guard let id = req.parameters.get("photo").flatMap(UUID.init(uuidString:)),
              let row = try await PhotoFingerprints.one(id, on: req.db) else { throw APIError.notFound("写真") }
        return DeskAPIController.fileResponse(try MailDeskActions.blobs(req).read(row.file), name: "photo")
    }

    static func file(req: Request) async throws -> Response {
        _ = try req.signedIn()
        try req.authorize(.manage, .secretariatDesk)
        let detail = try await PhotoDeskActions.detail(req, id: req.parameters.get("id"))
        let path = req.url.path.hasSuffix("/consultation") ? detail.consultationPhoto : detail.file
        guard let path else { throw APIError.notFound("写真") }
        return DeskAPIController.fileResponse(try MailDeskActions.blobs(req).read(path), name: "photo")
    }
}
