def test_planted(qr_case, qr_inputs, qr_allreduce):
    qr_case.assert_outputs(qr_allreduce(qr_case, qr_inputs))
