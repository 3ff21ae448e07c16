#pragma once
// The years a date may name anywhere in the tool (changedSince, the API's datetimes, SAS
// expiries). system_clock counts nanoseconds from 1970 in 64 bits, about +-292 years: a date
// outside this range would overflow it (undefined behaviour), and none is meant in earnest.
namespace kbc {

inline constexpr long long k_first_year = 1900;
inline constexpr long long k_last_year = 2200;

constexpr bool year_fits_clock(long long year) { return year >= k_first_year && year <= k_last_year; }

}  // namespace kbc
