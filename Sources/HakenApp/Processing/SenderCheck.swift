import Foundation
import HakenCore
import HakenMail
import HakenStore
import NIOCore

/// #12: who really sent each mail, worked out before the batch is decided (DNS is I/O, so it
/// belongs to the load, never to the decision). Behind our own MTA its Authentication-Results
/// are read (`HAKEN_TRUSTED_AUTHSERV_ID`); receiving directly, DKIM, SPF and DMARC are checked
/// here (`HAKEN_SENDER_CHECK=dns`). Neither configured: nothing is claimed either way.
struct SenderCheck: Sendable {
    let verifier: SenderVerifier?
    let trustedAuthservID: String?
    let suffixes: PublicSuffixList

    init?(settings: MailSettings, group: any EventLoopGroup) {
        guard settings.trustedAuthservID != nil || settings.senderCheck else { return nil }
        let suffixes = PublicSuffixList.load()
        self.suffixes = suffixes
        self.trustedAuthservID = settings.trustedAuthservID
        if settings.trustedAuthservID == nil {
            let server = settings.dnsResolver.flatMap(DNSClient.Server.init) ?? .system()
            let dns = DNSClient(server: server, group: group, timeout: .milliseconds(Int64(settings.dnsTimeoutMilliseconds)))
            verifier = SenderVerifier(dns: dns, suffixes: suffixes)
        } else {
            verifier = nil
        }
    }

    /// The mails of a batch, checked at once (each waits on DNS, not on the others).
    func authenticate(_ mails: [(row: QueuedMail, mail: MailReading)], blobs: BlobStore) async -> [UUID: SenderAuthentication] {
        await withTaskGroup(of: (UUID, SenderAuthentication?).self) { group in
            for (row, mail) in mails {
                group.addTask { (row.id, await authenticate(row, mail: mail, blobs: blobs)) }
            }
            var results: [UUID: SenderAuthentication] = [:]
            for await (id, result) in group { if let result { results[id] = result } }
            return results
        }
    }

    func authenticate(_ row: QueuedMail, mail: MailReading, blobs: BlobStore) async -> SenderAuthentication? {
        let fromDomain = mail.message.from.flatMap { $0.split(separator: "@").last.map(String.init) }
        if let trustedAuthservID {
            return AuthenticationResults.verdict(mail.message.headers, trustedAuthservID: trustedAuthservID, fromDomain: fromDomain,
                                                 suffixes: suffixes)
                ?? SenderAuthentication(verdict: .unverified, results: [],
                                        reason: "受信サーバー（\(trustedAuthservID)）の認証結果がありません")
        }
        guard let verifier else { return nil }
        // Large mails (photos) are in the blob store: read again here rather than kept in memory
        // for the whole batch.
        guard let raw = try? row.raw.map({ [UInt8]($0) }) ?? blobs.read(row.rawPath) else {
            return SenderAuthentication(verdict: .unverified, results: [], reason: "保存したメールを読めませんでした")
        }
        return await verifier.verify(raw, fromDomain: fromDomain,
                                     connection: .init(clientAddress: row.clientAddress, helo: row.helo, mailFrom: row.envelopeFrom))
    }
}
