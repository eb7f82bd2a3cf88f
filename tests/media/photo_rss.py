"""Peak resident memory of decoding photos at once: `python tests/media/photo_rss.py FILE N`.

Prints the peak RSS growth in MiB of N threads each running process_photo on FILE: VmHWM
after, less before (Linux). Not ru_maxrss: it survives exec, so a child started by a big
test process would begin at its parent's peak and show no growth at all.
"""

import re
import sys
import threading
from pathlib import Path

from media.photos import process_photo

MAX_PIXELS = 50_000_000


def peak_mb() -> float:
    status = Path("/proc/self/status").read_text()
    return int(re.search(r"VmHWM:\s+(\d+) kB", status).group(1)) / 1024


def main() -> None:
    data = Path(sys.argv[1]).read_bytes()
    copies = int(sys.argv[2])
    before = peak_mb()
    threads = [
        threading.Thread(target=process_photo, args=(data,), kwargs={"max_pixels": MAX_PIXELS})
        for _ in range(copies)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    print(f"{peak_mb() - before:.0f}")


if __name__ == "__main__":
    main()
