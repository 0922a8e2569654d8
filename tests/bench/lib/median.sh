# median.sh — sourced by the benchmarks: median, of the numbers on stdin
# (one per line; the mean of the middle two for an even count).
median() {
	sort -n | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2];
	    else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
