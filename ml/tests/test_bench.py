from ml.bench import run_bench


def test_quick_bench_orders_methods(tmp_path):
    report = run_bench(quick=True, json_path=str(tmp_path / "ml.json"))
    overall = report["overall"]
    zero = overall["zero-shot"]["delta_e"]
    assert zero < overall["identity"]["delta_e"]
    assert zero < overall["reinhard"]["delta_e"]
    assert zero < overall["histogram"]["delta_e"]
    assert (tmp_path / "ml.json").is_file() and (tmp_path / "ml_sheet.png").is_file()
