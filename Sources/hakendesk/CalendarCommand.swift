import ArgumentParser
import HakenCore

struct CalendarCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "calendar",
        abstract: "The Japanese calendar HakenDesk uses.",
        subcommands: [Holidays.self]
    )

    struct Holidays: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print the national holidays, one `YYYY-MM-DD name` per line.")

        @Option(help: "First year.") var from: Int = 1980
        @Option(help: "Last year.") var to: Int = 2099

        func validate() throws {
            guard from <= to else { throw ValidationError("--from must not be after --to") }
        }

        func run() {
            for year in from...to {
                for holiday in JapaneseHolidays.list(in: year) {
                    say("\(holiday.date.iso) \(holiday.name)")
                }
            }
        }
    }
}
