package io.github.clipage.hub;

import java.time.Duration;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Progress log of one download: a line at INFO in percent and MB/s, at most once per interval. */
final class DownloadProgress {

    private static final Logger log = LoggerFactory.getLogger(DownloadProgress.class);

    // Below this size a file takes well under the interval, so its start and end are logged at DEBUG only.
    private static final long INFO_THRESHOLD_BYTES = 10_000_000;

    private final String modelId;
    private final String file;
    private final long totalBytes;
    private final long startBytes;
    private final long intervalNanos;
    private final long startNanos;
    private long bytes;
    private long lastLogNanos;

    DownloadProgress(String modelId, String file, long totalBytes, long startBytes, Duration interval) {
        this.modelId = modelId;
        this.file = file;
        this.totalBytes = totalBytes;
        this.startBytes = startBytes;
        this.intervalNanos = interval.toNanos();
        this.startNanos = System.nanoTime();
        this.lastLogNanos = startNanos;
        this.bytes = startBytes;

        String resume = startBytes > 0 ? ", resuming at " + megabytes(startBytes) : "";
        if (isLarge()) {
            log.info("Downloading {} of {} ({}{})", file, modelId, megabytes(totalBytes), resume);
        } else {
            log.debug("Downloading {} of {} ({}{})", file, modelId, megabytes(totalBytes), resume);
        }
    }

    /** Counts bytes written and logs when the interval has passed since the last line. */
    void advance(int count) {
        bytes += count;
        long now = System.nanoTime();
        if (now - lastLogNanos >= intervalNanos) {
            lastLogNanos = now;
            String percent = totalBytes > 0 ? String.format(Locale.ROOT, "%.0f%% ", 100.0 * bytes / totalBytes) : "";
            log.info("Downloading {} of {}: {}({} of {}) at {}", file, modelId, percent, megabytes(bytes),
                    totalBytes >= 0 ? megabytes(totalBytes) : "?", rate(now));
        }
    }

    /** Logs the end of the transfer with its mean rate. */
    void finish() {
        long now = System.nanoTime();
        String seconds = String.format(Locale.ROOT, "%.1f", (now - startNanos) / 1e9);
        if (isLarge()) {
            log.info("Downloaded {} of {}: {} in {} s at {}", file, modelId, megabytes(bytes), seconds, rate(now));
        } else {
            log.debug("Downloaded {} of {}: {} in {} s at {}", file, modelId, megabytes(bytes), seconds, rate(now));
        }
    }

    private boolean isLarge() {
        return totalBytes < 0 || totalBytes >= INFO_THRESHOLD_BYTES;
    }

    private String rate(long now) {
        double seconds = Math.max((now - startNanos) / 1e9, 1e-3);
        return String.format(Locale.ROOT, "%.1f MB/s", (bytes - startBytes) / 1e6 / seconds);
    }

    /** Formats a byte count in decimal megabytes, the unit that the hub's web pages use. */
    static String megabytes(long bytes) {
        return bytes < 0 ? "an unknown size" : String.format(Locale.ROOT, "%.1f MB", bytes / 1e6);
    }
}
