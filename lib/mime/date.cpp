// Date and time (RFC 5322 §3.3). The core reads no clock: the caller passes
// the time in, broken down or as Unix seconds plus a UTC offset.
#include "date.hpp"

#include <cstdint>

namespace smtpcore::mime {
namespace {

bool is_leap(int y) noexcept { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int days_in_month(int y, int m) noexcept {
    static constexpr int kDays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && is_leap(y) ? 29 : kDays[m - 1];
}

// Days since 1970-01-01 of a civil date (H. Hinnant, "chrono-compatible
// low-level date algorithms", days_from_civil), valid for the whole range.
std::int64_t days_from_civil(std::int64_t y, int m, int d) noexcept {
    y -= m <= 2;
    const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
    const std::int64_t yoe = y - era * 400;
    const std::int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const std::int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

}  // namespace

DateTime date_from_unix(std::int64_t unix_seconds, int utc_offset_minutes) noexcept {
    const std::int64_t local = unix_seconds + std::int64_t(utc_offset_minutes) * 60;
    std::int64_t days = local / 86400;
    std::int64_t secs = local % 86400;
    if (secs < 0) {
        secs += 86400;
        days -= 1;
    }
    // civil_from_days (same source as above).
    const std::int64_t z = days + 719468;
    const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const std::int64_t doe = z - era * 146097;
    const std::int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const std::int64_t mp = (5 * doy + 2) / 153;
    DateTime t;
    t.day = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
    t.month = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
    t.year = static_cast<int>(yoe + era * 400 + (t.month <= 2));
    t.hour = static_cast<int>(secs / 3600);
    t.minute = static_cast<int>(secs / 60 % 60);
    t.second = static_cast<int>(secs % 60);
    t.utc_offset_minutes = utc_offset_minutes;
    return t;
}

namespace detail {

const char* check_date(const DateTime& d) noexcept {
    // RFC 5322 §3.3: year = 4*DIGIT, at least 1900 (obs dates aside).
    if (d.year < 1900 || d.year > 9999) return "year is not 1900..9999";
    if (d.month < 1 || d.month > 12) return "month is not 1..12";
    if (d.day < 1 || d.day > days_in_month(d.year, d.month)) return "day is not in the month";
    if (d.hour < 0 || d.hour > 23 || d.minute < 0 || d.minute > 59) return "hour or minute out of range";
    if (d.second < 0 || d.second > 60) return "second is not 0..60";
    // zone = (FWS ( "+" / "-" ) 4DIGIT): hours and minutes, so < 24h.
    if (d.utc_offset_minutes <= -1440 || d.utc_offset_minutes >= 1440) return "UTC offset is not within a day";
    return nullptr;
}

// RFC 5322 §3.3:
//   date-time = [ day-of-week "," ] date time [CFWS]
//   date = day month year;  day = ([FWS] 1*2DIGIT FWS);  year = (FWS 4*DIGIT FWS)
//   time = time-of-day zone;  time-of-day = hour ":" minute [ ":" second ]
//   zone = (FWS ( "+" / "-" ) 4DIGIT)
void put_date(Sink& sink, const DateTime& d) noexcept {
    static constexpr char kWeekdays[] = "ThuFriSatSunMonTueWed";  // 1970-01-01 was a Thursday
    static constexpr char kMonths[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
    const std::int64_t days = days_from_civil(d.year, d.month, d.day);
    const int wd = static_cast<int>(((days % 7) + 7) % 7);
    const int off = d.utc_offset_minutes < 0 ? -d.utc_offset_minutes : d.utc_offset_minutes;
    const auto digit = [](int v) { return static_cast<char>('0' + v); };
    const char text[] = {' ',
                         kWeekdays[wd * 3], kWeekdays[wd * 3 + 1], kWeekdays[wd * 3 + 2], ',', ' ',
                         digit(d.day / 10), digit(d.day % 10), ' ',
                         kMonths[(d.month - 1) * 3], kMonths[(d.month - 1) * 3 + 1], kMonths[(d.month - 1) * 3 + 2], ' ',
                         digit(d.year / 1000), digit(d.year / 100 % 10), digit(d.year / 10 % 10), digit(d.year % 10), ' ',
                         digit(d.hour / 10), digit(d.hour % 10), ':', digit(d.minute / 10), digit(d.minute % 10), ':',
                         digit(d.second / 10), digit(d.second % 10), ' ',
                         d.utc_offset_minutes < 0 ? '-' : '+',
                         digit(off / 600), digit(off / 60 % 10), digit(off % 60 / 10), digit(off % 10)};
    sink.put(std::string_view(text, sizeof text));
}

}  // namespace detail

std::size_t format_date(const DateTime& d, char* out, std::size_t cap) noexcept {
    if (detail::check_date(d) != nullptr) return 0;
    char field[40];  // " Www, DD Mmm YYYY HH:MM:SS +HHMM" is 32 octets
    detail::Sink sink(field, sizeof field, 0);
    detail::put_date(sink, d);
    const std::size_t n = sink.written();
    if (n < 2 || n - 1 > cap) return 0;
    for (std::size_t i = 1; i < n; ++i) out[i - 1] = field[i];  // without put_date's leading space
    return n - 1;
}

}  // namespace smtpcore::mime
