"""govchain.brownie_session waits for the threads brownie started while connected before it disconnects."""

import threading
import time

from govchain.brownie_session import join_threads_started_since


def start_daemon(target) -> threading.Thread:
    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    return thread


def test_waits_for_threads_started_while_connected():
    already_running = set(threading.enumerate())
    recorded = threading.Event()

    def record_after_a_while():
        time.sleep(0.3)
        recorded.set()

    start_daemon(record_after_a_while)
    join_threads_started_since(already_running)
    assert recorded.is_set()


def test_does_not_wait_for_threads_running_before_the_connection():
    release = threading.Event()
    earlier = start_daemon(lambda: release.wait(10))
    already_running = set(threading.enumerate())
    started = time.perf_counter()
    join_threads_started_since(already_running)
    assert time.perf_counter() - started < 1
    assert earlier.is_alive()
    release.set()


def test_the_late_receipt_wait_wraps_brownies_wait_only_once():
    import brownie

    from govchain.brownie_session import wait_for_receipts_a_loaded_node_shows_late

    wait_for_receipts_a_loaded_node_shows_late()
    installed = brownie.network.transaction.TransactionReceipt.wait
    wait_for_receipts_a_loaded_node_shows_late()
    assert brownie.network.transaction.TransactionReceipt.wait is installed
    assert installed.waits_for_late_receipts
