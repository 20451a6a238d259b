set terminal pngcairo size 900,540 noenhanced font ',10'
set datafile missing '?'
set key outside right top
set grid
set output '../throughput.png'
set title 'acquisitions/s, one key, 5 ms holds'
set xlabel 'clients on one key (log)'
set ylabel 'acquisitions/s'
set logscale x 2
unset logscale y
plot for [i=2:9] 'throughput.dat' using 1:i with linespoints lw 2 title columnheader(i)
unset logscale
set output '../handoff.png'
set title 'handoff p50 (release answered → next grant), one key'
set xlabel 'clients on one key (log)'
set ylabel 'ms (log)'
set logscale x 2
set logscale y 10
plot for [i=2:9] 'handoff.dat' using 1:i with linespoints lw 2 title columnheader(i)
unset logscale
set output '../wait-cdf-4.png'
set title 'wait for the lock, one key, 4 clients'
set xlabel 'wait, ms (log)'
set ylabel 'fraction of grants'
set logscale x 10
set yrange [0:1]
plot 'wait-cdf-4-0.dat' using 1:2 with lines lw 2 title 'polling 1 s', 'wait-cdf-4-1.dat' using 1:2 with lines lw 2 title 'polling 100 ms', 'wait-cdf-4-2.dat' using 1:2 with lines lw 2 title 'etcd', 'wait-cdf-4-3.dat' using 1:2 with lines lw 2 title 'ZooKeeper', 'wait-cdf-4-4.dat' using 1:2 with lines lw 2 title 'lockbroker S3', 'wait-cdf-4-5.dat' using 1:2 with lines lw 2 title 'lockbroker disk', 'wait-cdf-4-6.dat' using 1:2 with lines lw 2 title 'baseline lockbroker S3', 'wait-cdf-4-7.dat' using 1:2 with lines lw 2 title 'baseline lockbroker disk'
unset logscale
set yrange [*:*]
set output '../wait-cdf-16.png'
set title 'wait for the lock, one key, 16 clients'
set xlabel 'wait, ms (log)'
set ylabel 'fraction of grants'
set logscale x 10
set yrange [0:1]
plot 'wait-cdf-16-0.dat' using 1:2 with lines lw 2 title 'polling 1 s', 'wait-cdf-16-1.dat' using 1:2 with lines lw 2 title 'polling 100 ms', 'wait-cdf-16-2.dat' using 1:2 with lines lw 2 title 'etcd', 'wait-cdf-16-3.dat' using 1:2 with lines lw 2 title 'ZooKeeper', 'wait-cdf-16-4.dat' using 1:2 with lines lw 2 title 'lockbroker S3', 'wait-cdf-16-5.dat' using 1:2 with lines lw 2 title 'lockbroker disk', 'wait-cdf-16-6.dat' using 1:2 with lines lw 2 title 'baseline lockbroker S3', 'wait-cdf-16-7.dat' using 1:2 with lines lw 2 title 'baseline lockbroker disk'
unset logscale
set yrange [*:*]
set output '../wait-cdf-64.png'
set title 'wait for the lock, one key, 64 clients'
set xlabel 'wait, ms (log)'
set ylabel 'fraction of grants'
set logscale x 10
set yrange [0:1]
plot 'wait-cdf-64-0.dat' using 1:2 with lines lw 2 title 'polling 1 s', 'wait-cdf-64-1.dat' using 1:2 with lines lw 2 title 'polling 100 ms', 'wait-cdf-64-2.dat' using 1:2 with lines lw 2 title 'etcd', 'wait-cdf-64-3.dat' using 1:2 with lines lw 2 title 'ZooKeeper', 'wait-cdf-64-4.dat' using 1:2 with lines lw 2 title 'lockbroker S3', 'wait-cdf-64-5.dat' using 1:2 with lines lw 2 title 'lockbroker disk', 'wait-cdf-64-6.dat' using 1:2 with lines lw 2 title 'baseline lockbroker S3', 'wait-cdf-64-7.dat' using 1:2 with lines lw 2 title 'baseline lockbroker disk'
unset logscale
set yrange [*:*]
set output '../wait-cdf-many-keys.png'
set title 'wait for the lock, 200 keys × 4 clients'
set xlabel 'wait, ms (log)'
set ylabel 'fraction of grants'
set logscale x 10
set yrange [0:1]
plot 'wait-cdf-many-keys-0.dat' using 1:2 with lines lw 2 title 'polling 1 s', 'wait-cdf-many-keys-1.dat' using 1:2 with lines lw 2 title 'polling 100 ms', 'wait-cdf-many-keys-2.dat' using 1:2 with lines lw 2 title 'etcd', 'wait-cdf-many-keys-3.dat' using 1:2 with lines lw 2 title 'ZooKeeper', 'wait-cdf-many-keys-4.dat' using 1:2 with lines lw 2 title 'lockbroker S3', 'wait-cdf-many-keys-5.dat' using 1:2 with lines lw 2 title 'lockbroker disk', 'wait-cdf-many-keys-6.dat' using 1:2 with lines lw 2 title 'baseline lockbroker S3', 'wait-cdf-many-keys-7.dat' using 1:2 with lines lw 2 title 'baseline lockbroker disk'
unset logscale
set yrange [*:*]
