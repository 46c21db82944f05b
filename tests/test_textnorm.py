"""textnorm: one set of characters, no page furniture, paragraphs and hyphenated words rebuilt."""

import time

from support import badfiles
from support.paths import corpus_pdf
from sendgraph.read.extract import read_report
from sendgraph.read.pdftext import pdf_text
from sendgraph.read.textnorm import (
    BULLET,
    Vocabulary,
    clean_chars,
    join_wrapped,
    lines,
    paragraphs,
    paragraphs_and_vocabulary,
)


def test_clean_chars_unifies_quotes_dashes_and_bullets():
    assert clean_chars("\u2018Leaders\u2019 \u201cplan\u201d\u00a0well\u2011known\u200b") == "'Leaders' \"plan\" well-known"
    assert clean_chars("\u25fc\tA strength") == BULLET + " A strength"
    assert clean_chars("- reduce waits\n") == BULLET + " reduce waits\n"


def test_running_footers_and_page_numbers_are_dropped():
    text = (
        "Leaders know the area well and\n"
        "Area SEND inspection report: Bedford Borough Local Area Partnership 18 to 22 November 2024 5\n"
        "\f"
        "plan together.\n"
        "12\n"
    )
    assert paragraphs(text) == ["Leaders know the area well and plan together."]
    assert lines(text) == ["Leaders know the area well and", "plan together."]


def test_bullets_start_paragraphs_and_tables_keep_their_lines():
    text = "Strengths:\n\u25fc One\nstill one\n\u25aa Two\n\nName\tRole\nAnn Lee\tLead inspector\n"
    assert paragraphs(text) == ["Strengths:", BULLET + " One still one", BULLET + " Two", "Name\tRole\nAnn Lee\tLead inspector"]


def test_line_end_hyphen_follows_the_documents_own_usage():
    text = (
        "Children wait. Some chil-\ndren wait longer.\n\n"
        "A multi-\nagency panel meets. Its multi-agency work is strong.\n\n"
        "Leaders are well-\nconsidered and the one-\nstop shop helps.\n\n"
        "Services in Southend-on-\nSea and one- and two-\nyear-olds and pre-\nor post-16 learners.\n"
    )
    paras = paragraphs(text)
    assert paras[0] == "Children wait. Some children wait longer."
    assert paras[1] == "A multi-agency panel meets. Its multi-agency work is strong."
    # Never printed whole ("wellconsidered", "onestop"): the hyphen stays.
    assert paras[2] == "Leaders are well-considered and the one-stop shop helps."
    assert paras[3] == "Services in Southend-on-Sea and one- and two-year-olds and pre- or post-16 learners."


def test_vocabulary_mends_cell_breaks_only_where_the_document_prints_the_whole_word():
    vocabulary = Vocabulary("NHS North Central London. Leaders wait.\nA multi-agency team, a co-\nordinated plan.")
    assert vocabulary.mend("North Cen-tral London") == "North Central London"
    assert vocabulary.mend("a multi-agency team") == "a multi-agency team"
    assert vocabulary.mend("well-led") == "well-led"  # "wellled" is not printed
    assert join_wrapped(["Chief Officer at NHS North Cen-", "tral London"]) == "Chief Officer at NHS North Cen-tral London"


def test_report_text_has_whole_words_and_hyphenated_compounds():
    paras = paragraphs(pdf_text(corpus_pdf("enfield").read_bytes()))
    text = "\n".join(paras)
    assert "chil-dren" not in text and "ser-vices" not in text
    assert "provision for children or young people" in text
    bedford = "\n".join(paragraphs(pdf_text(corpus_pdf("bedford").read_bytes())))
    assert "a lot of well-considered guidance" in bedford
    assert "effective co-working with children" in bedford


def _long_word_text(letters: int) -> str:
    """A report paragraph holding one word of ``letters`` letters, with line-end hyphens before and after it."""
    word = "a" * letters
    return f"Leaders plan multi-\nagency work. Some {word} waits and {word}-\nlong chil-\ndren wait.\n\nChildren wait.\n"


def _best_time(function, repeat: int = 5) -> float:
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        best = min(best, time.perf_counter() - started)
    return best


def test_normalising_a_long_word_takes_time_linear_in_its_length():
    """A 100,000-letter word once took minutes (quadratic patterns in Vocabulary); 10x the letters may now
    take well under 30x the time. Only gross growth fails: the quadratic code took about 100x."""
    paras, vocabulary = paragraphs_and_vocabulary(_long_word_text(20))
    assert paras == ["Leaders plan multi-agency work. Some " + "a" * 20 + " waits and " + "a" * 20 + "-long children wait.", "Children wait."]
    small = _best_time(lambda: paragraphs_and_vocabulary(_long_word_text(10_000)))
    large = _best_time(lambda: paragraphs_and_vocabulary(_long_word_text(100_000)))
    assert large < 30 * max(small, 0.001), (small, large)


def test_a_report_holding_a_very_long_word_is_extracted_in_seconds(tmp_path):
    path = tmp_path / "long-word.txt"
    path.write_text(badfiles.hartlepool_text().replace("\n\n", "\n\nLeaders " + "a" * 300_000 + " wait.\n\n", 1))
    started = time.perf_counter()
    (record,) = read_report(path)
    assert time.perf_counter() - started < 20  # was hours for a word this long
    assert record["area"] == "Hartlepool"
