"""planparse.memo: caches that the pipeline empties after every document."""
from planparse import memo, months
from planparse.api import default_pipeline, parse_text


def test_per_document_cache_answers_repeats_within_a_document():
    calls = []

    @memo.per_document(maxsize=8)
    def square(n: int) -> int:
        calls.append(n)
        return n * n

    assert [square(3), square(3), square(4)] == [9, 9, 16]
    assert calls == [3, 4]
    memo.end_of_document()
    assert square(3) == 9
    assert calls == [3, 4, 3]


def test_pipeline_leaves_no_month_labels_cached_after_a_document():
    months.split_month_label.cache_clear()
    result = parse_text("2024年工会工作计划\n一、工作安排\n三月：召开教代会\n四月：春季运动会\n")
    assert result.plans and result.plans[0].schedule  # the labels were asked about, and found
    assert months.split_month_label.cache_info().currsize == 0


def test_pipeline_empties_caches_even_when_a_stage_fails():
    pipeline = default_pipeline()
    months.split_month_label("三月：召开教代会")
    assert months.split_month_label.cache_info().currsize > 0
    try:
        pipeline(None)  # not a Doc: the first stage raises
    except Exception:
        pass
    assert months.split_month_label.cache_info().currsize == 0
