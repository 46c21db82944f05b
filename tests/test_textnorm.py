"""textnorm: one set of characters, no page furniture, paragraphs and hyphenated words rebuilt."""

from support.paths import corpus_pdf
from sendgraph.read.pdftext import pdf_text
from sendgraph.read.textnorm import BULLET, Vocabulary, clean_chars, join_wrapped, lines, paragraphs


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
