def test_quick_all_reduce_bits(qr_case, qr_allreduce):
    """vLLM's QuickAllReduce on one case of the vector set, every rank's output compared bit for bit."""
    qr_case.assert_outputs(qr_allreduce(qr_case, None))
