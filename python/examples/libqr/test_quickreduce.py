def test_quickreduce_bits(qr_case, qr_inputs, qr_allreduce):
    """One case of the vector set through the all-reduce under test, compared bit for bit."""
    qr_case.assert_outputs(qr_allreduce(qr_case, qr_inputs))
