import Fluent
import Foundation
import HakenCore

/// A signed, expiring, single-use link (sign-up verification, password reset, invitation,
/// certification). The token in the link is the row's id and an HMAC over the row under a
/// key kept outside the database (`ActionLinks`): nothing in the database lets anyone make
/// a link, and `used_at` makes each one work once.
public final class ActionLinkModel: Model, @unchecked Sendable {
    public static let schema = "action_links"

    @ID(key: .id) public var id: UUID?
    @Field(key: "purpose") public var purpose: String
    /// The account, or the dispatch for a certification link.
    @Field(key: "subject_id") public var subjectID: UUID
    @OptionalField(key: "data") public var data: String?
    @Field(key: "expires_at") public var expiresAt: Date
    @OptionalField(key: "used_at") public var usedAt: Date?
    @Field(key: "created_at") public var createdAt: Date

    public init() {}

    public init(id: UUID, purpose: String, subjectID: UUID, data: String?, expiresAt: Date, createdAt: Date) {
        self.id = id
        self.purpose = purpose
        self.subjectID = subjectID
        self.data = data
        self.expiresAt = expiresAt
        self.createdAt = createdAt
    }
}

/// One login attempt, for throttling per account and per client address (`LoginThrottle`).
public final class LoginAttemptModel: Model, @unchecked Sendable {
    public static let schema = "login_attempts"

    @ID(key: .id) public var id: UUID?
    /// The address typed, folded as accounts are keyed (whether or not such an account exists).
    @Field(key: "account_key") public var accountKey: String
    @Field(key: "client") public var client: String
    @Field(key: "succeeded") public var succeeded: Bool
    @Field(key: "at") public var at: Date

    public init() {}

    public init(accountKey: String, client: String, succeeded: Bool, at: Date) {
        self.accountKey = accountKey
        self.client = client
        self.succeeded = succeeded
        self.at = at
    }
}

/// AFT-2: the expert's report of one dispatch.
public final class ExpertReportModel: Model, @unchecked Sendable {
    public static let schema = "expert_reports"

    @ID(key: .id) public var id: UUID?
    @Parent(key: "dispatch_id") public var dispatch: DispatchModel
    @Field(key: "actual_start") public var actualStart: String
    @Field(key: "actual_end") public var actualEnd: String
    @Field(key: "work") public var work: String
    @OptionalField(key: "next_steps") public var nextSteps: String?
    @Field(key: "travel_expenses_yen") public var travelExpensesYen: Int
    @Field(key: "filed_by") public var filedBy: String
    @Field(key: "filed_at") public var filedAt: Date

    public init() {}

    public init(dispatchID: UUID, report: ExpertReport, filedBy: String, filedAt: Date) {
        self.$dispatch.id = dispatchID
        actualStart = report.actualStart.hhmm
        actualEnd = report.actualEnd.hhmm
        work = report.work
        nextSteps = report.nextSteps
        travelExpensesYen = report.travelExpensesYen
        self.filedBy = filedBy
        self.filedAt = filedAt
    }
}

/// AFT-2: the business's work certification and evaluation of the expert.
public final class CertificationModel: Model, @unchecked Sendable {
    public static let schema = "certifications"

    @ID(key: .id) public var id: UUID?
    @Parent(key: "dispatch_id") public var dispatch: DispatchModel
    @Field(key: "times_confirmed") public var timesConfirmed: Bool
    @OptionalField(key: "dispute_reason") public var disputeReason: String?
    @Field(key: "rating") public var rating: Int
    @OptionalField(key: "comment") public var comment: String?
    @Field(key: "certified_at") public var certifiedAt: Date

    public init() {}

    public init(dispatchID: UUID, certification: Certification, at: Date) {
        self.$dispatch.id = dispatchID
        switch certification.times {
        case .confirmed: timesConfirmed = true
        case .disputed(let reason): timesConfirmed = false; disputeReason = reason
        }
        rating = certification.rating
        comment = certification.comment
        certifiedAt = at
    }
}
