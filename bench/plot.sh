#!/usr/bin/env bash
# Plots of a bench/bench.sh run, from its own rows (--tsv FILE), rendered to PNG by gnuplot
# (Debian: gnuplot-nox):
#   throughput-by-size.png      transfer MiB/s of gzip against table size, one line per case
#   throughput-by-parallel.png  transfer MiB/s of one table against --parallel, one line per size
#   phases.png                  seconds per phase (export job, transfer, import job, poll slack)
#                               of each tool case and size, stacked
#
#   bench/bench.sh --sizes "16 64 256" --parallel "1 2 4" --tsv /tmp/bench.tsv
#   bench/plot.sh /tmp/bench.tsv docs/img
set -euo pipefail
[ $# -eq 2 ] || { sed -n '2,11p' "$0" >&2; exit 2; }
tsv=$1 out=$2
command -v gnuplot >/dev/null || { echo "plot: needs gnuplot (apt-get install gnuplot-nox)" >&2; exit 1; }
mkdir -p "$out"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# Medians per (size, case) of: MiB/s over the transfer phase, and the four phases.
# Columns of the TSV: size case rep wall transfer bytes rss cpu calls export transfer_sum import slack ...
awk -F'\t' '
  function median(list,   n, v, i, j, t) {
    n = split(list, v, " ")
    for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (v[j] + 0 < v[i] + 0) { t = v[i]; v[i] = v[j]; v[j] = t }
    return n % 2 ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2
  }
  {
    key = $1 "\t" $2
    if (!(key in seen)) { seen[key] = 1; order[++count] = key }
    rate[key] = rate[key] " " ($5 > 0 ? $6 / 1048576 / $5 : 0)
    if ($2 != "curl|curl") {
      exp_[key] = exp_[key] " " $10; xfer[key] = xfer[key] " " $11; imp[key] = imp[key] " " $12; slack[key] = slack[key] " " $13
    }
  }
  END {
    for (i = 1; i <= count; i++) {
      key = order[i]
      printf "%s\t%.1f", key, median(rate[key])
      if (key in exp_) printf "\t%.2f\t%.2f\t%.2f\t%.2f", median(exp_[key]), median(xfer[key]), median(imp[key]), median(slack[key])
      printf "\n"
    }
  }' "$tsv" >"$work/medians.tsv"

cases=$(cut -f2 "$work/medians.tsv" | awk '!seen[$0]++')
sizes=$(cut -f1 "$work/medians.tsv" | sort -n -u)

# One data file per case (size, MiB/s), one per size (parallel, MiB/s).
plot_size=""
while IFS= read -r case; do
  file="$work/case-${case//[^a-zA-Z0-9]/_}.dat"
  awk -F'\t' -v c="$case" '$2 == c { print $1, $3 }' "$work/medians.tsv" | sort -n >"$file"
  plot_size+="${plot_size:+, }'$file' using 1:2 with linespoints title '$case'"
done <<<"$cases"
plot_parallel=""
for size in $sizes; do
  file="$work/size-$size.dat"
  awk -F'\t' -v s="$size" '$1 == s && $2 ~ /^tool -p/ { p = $2; sub(/^tool -p/, "", p); print p, $3 }' "$work/medians.tsv" | sort -n >"$file"
  plot_parallel+="${plot_parallel:+, }'$file' using 1:2 with linespoints title '$size MiB'"
done
curl_lines=""
for size in $sizes; do
  rate=$(awk -F'\t' -v s="$size" '$1 == s && $2 == "curl|curl" { print $3 }' "$work/medians.tsv")
  [ -n "$rate" ] && curl_lines+=", $rate with lines dashtype 2 title 'curl|curl $size MiB'"
done
# Phases: one bar per (size, tool case), stacked.
awk -F'\t' 'NF >= 7 { printf "\"%s MiB %s\" %s %s %s %s\n", $1, $2, $4, $5, $6, $7 }' "$work/medians.tsv" >"$work/phases.dat"

gnuplot <<EOF
set terminal pngcairo size 900,520 noenhanced
set grid
set key left top
set output '$out/throughput-by-size.png'
set title 'Transfer throughput (gzip MiB/s over the transfer phase) by table size'
set xlabel 'table size (MiB of CSV)'
set ylabel 'MiB/s'
set logscale x 2
plot $plot_size
unset logscale x
set output '$out/throughput-by-parallel.png'
set title 'Transfer throughput of one table by --parallel'
set xlabel '--parallel'
set xtics 1
plot $plot_parallel$curl_lines
set output '$out/phases.png'
set title 'Seconds per phase (medians)'
set xlabel ''
set ylabel 'seconds'
set style data histograms
set style histogram rowstacked
set style fill solid 0.8 border -1
set boxwidth 0.7
set xtics rotate by -30
set key outside right top
plot '$work/phases.dat' using 2:xtic(1) title 'export job', '' using 3 title 'transfer', '' using 4 title 'import job', '' using 5 title 'poll slack'
EOF
echo "plots in $out: throughput-by-size.png throughput-by-parallel.png phases.png"
