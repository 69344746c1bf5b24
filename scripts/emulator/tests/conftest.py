import os
import sys

import pytest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from stack import Emulator  # noqa: E402


@pytest.fixture
def make_emu(tmp_path):
    """Start moto_server.py (+ the data plane when asked) on free loopback ports."""
    started = []

    def make(start_dataplane=True, **flags):
        emu = Emulator(str(tmp_path), **flags)
        started.append(emu)
        return emu

    yield make
    for emu in started:
        emu.stop()
        # on failure pytest shows this; it is the data plane's decision log
        if os.path.exists(emu.dp_log_path):
            with open(emu.dp_log_path) as f:
                tail = f.readlines()[-80:]
            print("---- data plane log (tail) ----\n" + "".join(tail))
