"""Topic tagging: the default taxonomy, a shipped scikit-learn model, training and discovery.

>>> from newsnlp import topics
>>> model = topics.load_model()                      # the shipped model, cached
>>> model.predict("全市召开安全生产工作会议……", headline="筑牢安全防线")[0].label
'public-safety'

A model is a linear classifier (one-vs-rest logistic regression, so every label
gets its own probability) over TF-IDF features of jieba words and character
1-3-grams of the headline and the opening of the body.  The first label
returned is the primary one, chosen by those probabilities averaged with a
ComplementNB's on the same features; further labels follow when their
probability reaches the model's ``threshold``.

Training records are dicts ``{"text", "headline"?, "labels": [...]}`` (first label
primary).  Records that carry an ``id`` instead of a text are joined with the
public data sets in ``../shared/data`` (see :func:`resolve_record`), so labels
of those texts can be kept in the repository without the texts.

Model files are pickles: load only models you trust.
"""
from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import pickle
import re
import threading
import unicodedata
import zlib
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from newsnlp.errors import InputError, ModelError
from newsnlp.model import Article, Topic

# id, 中文, what it covers (issue 4).  Order is the display order.
TAXONOMY: list[tuple[str, str, str]] = [
    ("politics", "时政", "party and government meetings, party building, leaders' activities, work reports, personnel, policy announcements"),
    ("economy", "经济", "industry, investment projects, enterprises, business environment, finance, trade, consumption"),
    ("agriculture", "三农", "agriculture, rural revitalisation, farmers, grain, villages"),
    ("education", "教育", "schools, teachers, students, exams"),
    ("health", "卫生健康", "hospitals, medicine, medical insurance, public health"),
    ("social-security", "民生保障", "social insurance, employment, pensions, poverty relief, elderly care, assistance, housing security"),
    ("civic-culture", "文明文化", "spiritual civilisation, model citizens, volunteers, community activities, culture and arts, heritage"),
    ("sports", "体育", "sports events, athletes, fitness"),
    ("discipline", "纪检监察", "anti-corruption, integrity education, discipline inspection"),
    ("public-safety", "安全应急", "production safety, fire, disasters, emergencies, epidemic control measures"),
    ("law", "政法", "police, courts, procuratorates, legal publicity, crime, petitions"),
    ("environment", "生态环境", "pollution control, ecology, greening, water and air"),
    ("urban", "城建交通", "urban construction, transport, housing, infrastructure, utilities"),
    ("science-tech", "科技", "science, technology, research, innovation"),
    ("international", "国际", "foreign affairs, international news"),
]
DEFAULT_LABELS = [t[0] for t in TAXONOMY]

DATA_DIR = Path(__file__).resolve().parent / "data"
DEFAULT_MODEL_PATH = DATA_DIR / "topics-default.model"
FORMAT = "newsnlp-topics/2"  # /2: the scorer's arrays stored apart from the scikit-learn features
READABLE_FORMATS = ("newsnlp-topics/1", FORMAT)
BODY_CHARS = 1000  # the opening of the body that the features read (topic is set early; keeps tagging fast)

_MAGIC = b"NEWSNLP-TOPICS "


# --------------------------------------------------------------------------- features

def prepare(text: str, headline: str = "") -> str:
    """The document the features read: headline twice (it carries the topic), then the body opening.

    NFKC folds full-width digits and letters; layout whitespace is dropped.
    """
    headline = _squash(headline)
    body = _squash(text)[:BODY_CHARS]
    return f"{headline}。{headline}\n{body}" if headline else f"\n{body}"


def _squash(s: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", s or ""))


_NOT_WORD = re.compile(r"^[\W\d_]+$|^[A-Za-z]$")


def word_tokens(doc: str) -> list[str]:
    """jieba words of ``doc`` without punctuation and bare numbers (the word-feature analyzer)."""
    return [w for w in _cut(doc) if not _NOT_WORD.match(w)]


def _cut(doc: str) -> list[str]:
    try:
        from newsnlp.segment import cut
    except ImportError:  # pragma: no cover - segment is part of the package
        import jieba

        return jieba.lcut(doc)
    return cut(doc)


def char_ngrams(doc: str) -> list[str]:
    """Character 1-3-grams of the CJK/alnum runs of ``doc`` (the character-feature analyzer)."""
    grams: list[str] = []
    for run in re.findall(r"\w+", doc):
        n = len(run)
        grams.extend(run)
        grams.extend(run[i:i + 2] for i in range(n - 1))
        grams.extend(run[i:i + 3] for i in range(n - 2))
    return grams


def _features(max_words: int, max_chars: int):
    import numpy as np
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.pipeline import FeatureUnion

    words = TfidfVectorizer(analyzer=word_tokens, sublinear_tf=True, min_df=2, max_features=max_words, dtype=np.float32)
    chars = TfidfVectorizer(analyzer=char_ngrams, sublinear_tf=True, min_df=2, max_features=max_chars, dtype=np.float32)
    return FeatureUnion([("words", words), ("chars", chars), ("headline_only", HeadlineOnly())])


class HeadlineOnly:
    """One feature: 1 when a document is a bare headline (no body).

    Headline-only training records (THUCNews titles) cover only some labels; this feature absorbs
    that difference, so the intercepts do not push short articles towards those labels.
    """

    def fit(self, docs, y=None):
        return self

    def transform(self, docs):
        import numpy as np
        from scipy import sparse

        return sparse.csr_matrix(np.array([[float(self.flag(d))] for d in docs], dtype=np.float32))

    @staticmethod
    def flag(doc: str) -> bool:
        """True for a prepared document without body text."""
        return not doc.partition("\n")[2]

    def fit_transform(self, docs, y=None):
        return self.transform(docs)

    def get_feature_names_out(self, input_features=None):
        import numpy as np

        return np.array(["headline_only"], dtype=object)


# --------------------------------------------------------------------------- the model

@dataclass
class TopicModel:
    """A trained tagger: features, one-vs-rest logistic regression weights, labels, secondary threshold."""

    labels: list[str]
    features: Any  # fitted FeatureUnion of TF-IDF vectorizers
    coef: Any  # float32 array (features x labels)
    intercept: Any  # float32 array (labels,)
    threshold: float = 0.5
    max_labels: int = 3
    sklearn_version: str = ""
    info: dict = field(default_factory=dict)
    nb_coef: Any = None  # float32 ComplementNB log weights (features x labels), or None
    nb_weight: float = 0.0  # share of the ComplementNB probabilities in the primary-label score

    def scores(self, docs: Sequence[str]):
        """Per-label probabilities (rows: docs, columns: ``labels``) of prepared documents."""
        return self._score(docs)[0]

    def primary_scores(self, docs: Sequence[str]):
        """Per-label primary-label scores of prepared documents: the one-vs-rest probabilities
        normalised to sum 1, averaged with the ComplementNB probabilities (weight ``nb_weight``)."""
        return self._score(docs)[1]

    def _score(self, docs: Sequence[str]):
        """(probabilities, primary scores) of prepared documents.

        Computes the fitted TF-IDF features token by token (same numbers as
        ``features.transform``, without scikit-learn's per-call overhead).
        """
        import numpy as np

        parts = self._parts()
        z = np.tile(self.intercept.astype(np.float64), (len(docs), 1))
        nb = self.nb_coef if self.nb_weight else None
        jll = np.zeros((len(docs), len(self.labels)))
        for row, doc in enumerate(docs):
            for analyzer, vocab, idf, offset in parts:
                counts: dict[int, int] = {}
                for token in analyzer(doc):
                    j = vocab.get(token)
                    if j is not None:
                        counts[j] = counts.get(j, 0) + 1
                if not counts:
                    continue
                index = np.fromiter(counts, dtype=np.int64, count=len(counts))
                values = (np.log(np.fromiter(counts.values(), dtype=np.float64, count=len(counts))) + 1.0) * idf[index]
                values /= np.sqrt(values @ values)
                z[row] += values @ self.coef[index + offset]
                if nb is not None:
                    jll[row] += values @ nb[index + offset]
            if HeadlineOnly.flag(doc):
                z[row] += self.coef[-1]
                if nb is not None:
                    jll[row] += nb[-1]
        probs = 1.0 / (1.0 + np.exp(-z))
        if nb is None:
            return probs, probs
        p_nb = np.exp(jll - jll.max(axis=1, keepdims=True))
        p_nb /= p_nb.sum(axis=1, keepdims=True)
        primary = (1 - self.nb_weight) * probs / probs.sum(axis=1, keepdims=True) + self.nb_weight * p_nb
        return probs, primary

    def _parts(self):
        parts = getattr(self, "_parts_cache", None)
        if parts is None:
            parts, offset = [], 0
            for name, vec in self.features.transformer_list[:2]:
                parts.append((vec.analyzer, vec.vocabulary_, vec.idf_, offset))
                offset += len(vec.vocabulary_)
            self._parts_cache = parts
        return parts

    def __getstate__(self):
        """The scorer's plain arrays, and the scikit-learn features as a pickle of their own: tagging
        then never imports scikit-learn (about 1.5 s of every command's start-up)."""
        state = dict(self.__dict__)
        state.pop("_parts_cache", None)
        features = state.pop("features")
        state["features_pickle"] = (features.blob if isinstance(features, _Deferred)
                                    else pickle.dumps(features, protocol=pickle.HIGHEST_PROTOCOL))
        state["scorer_parts"] = self._parts()
        return state

    def __setstate__(self, state):
        state = dict(state)
        blob, parts = state.pop("features_pickle", None), state.pop("scorer_parts", None)
        if blob is not None:
            state["features"] = _Deferred(blob)
        self.__dict__.update(state)
        if parts is not None:
            self._parts_cache = parts

    def predict(self, text: str, headline: str = "") -> list[Topic]:
        """Topics of one article, primary first; secondary labels above ``threshold``."""
        return self.predict_many([text], [headline])[0]

    def predict_many(self, texts: Sequence[str], headlines: Sequence[str] | None = None) -> list[list[Topic]]:
        """:meth:`predict` for many articles at once (faster: one matrix product)."""
        texts = list(texts)
        if not texts:
            return []
        headlines = list(headlines) if headlines is not None else [""] * len(texts)
        if len(headlines) != len(texts):
            raise InputError(f"{len(texts)} texts but {len(headlines)} headlines")
        probs, primary = self._score([prepare(t, h) for t, h in zip(texts, headlines)])
        return [self._topics(row, int(p.argmax())) for row, p in zip(probs, primary)]

    def _topics(self, row, first: int | None = None) -> list[Topic]:
        """Label ``first`` (default: the most probable), then the others above ``threshold``, by probability."""
        order = sorted(range(len(self.labels)), key=lambda i: -row[i])
        first = order[0] if first is None else first
        out = [Topic(self.labels[first], round(float(row[first]), 4))]
        for i in order:
            if len(out) >= self.max_labels or row[i] < self.threshold:
                break
            if i != first:
                out.append(Topic(self.labels[i], round(float(row[i]), 4)))
        return out


class _Deferred:
    """A pickled object, unpickled on first attribute access (the fitted scikit-learn features:
    needed to retrain or inspect a model, not to tag)."""

    def __init__(self, blob: bytes):
        self.blob = blob

    def __getattr__(self, name: str):
        if name.startswith("__") or name == "blob":
            raise AttributeError(name)
        obj = self.__dict__.get("_obj")
        if obj is None:
            obj = self.__dict__["_obj"] = pickle.loads(self.blob)
        return getattr(obj, name)


def tag_article(article: Article, model: TopicModel | None = None) -> None:
    """Set ``article.topics`` from its headline and body."""
    model = model or load_model()
    article.topics = model.predict(article.text, headline=article.title)


def tag_articles(articles: Sequence[Article], model: TopicModel | None = None) -> None:
    """:func:`tag_article` for many articles with one batch prediction."""
    if not articles:
        return
    model = model or load_model()
    for article, found in zip(articles, model.predict_many([a.text for a in articles], [a.title for a in articles])):
        article.topics = found


# --------------------------------------------------------------------------- save / load

def save(model: TopicModel, path: str | Path) -> Path:
    """Write ``model`` to ``path``: a one-line JSON header (format, scikit-learn version, labels)
    followed by the zlib-compressed pickle of the model."""
    from newsnlp.store import write_atomic

    path = Path(path)
    header = {"format": FORMAT, "sklearn_version": model.sklearn_version, "labels": model.labels, "info": model.info}
    payload = zlib.compress(pickle.dumps(model, protocol=pickle.HIGHEST_PROTOCOL), 6)
    write_atomic(path, _MAGIC + json.dumps(header, ensure_ascii=False).encode("utf-8") + b"\n" + payload)
    return path


def read_header(path: str | Path) -> dict:
    """The JSON header of a model file (no unpickling). Raises ModelError for a file that is not a model."""
    path = Path(path)
    try:
        with open(path, "rb") as f:
            first = f.readline(1 << 20)
    except OSError as exc:
        raise ModelError(f"cannot read topics model {path}: {exc.strerror or exc}") from None
    if not first.startswith(_MAGIC):
        raise ModelError(f"{path} is not a newsnlp topics model (train one with `newsnlp topics train`)")
    try:
        header = json.loads(first[len(_MAGIC):])
    except ValueError:
        raise ModelError(f"{path}: damaged topics model header") from None
    if header.get("format") not in READABLE_FORMATS:
        raise ModelError(f"{path}: unsupported topics model format {header.get('format')!r} (expected {FORMAT})")
    return header


_load_lock = threading.Lock()


def load_model(path: str | Path | None = None) -> TopicModel:
    """Load a topics model (the shipped default when ``path`` is None); cached per file.

    Raises :class:`ModelError` when the file is missing, damaged, or was trained with
    another scikit-learn (major.minor) version than the one installed.
    """
    path = Path(path).expanduser().resolve() if path is not None else DEFAULT_MODEL_PATH
    if not path.is_file():
        hint = "" if path != DEFAULT_MODEL_PATH else " (the shipped model is missing; reinstall newsnlp)"
        raise ModelError(f"topics model not found: {path}{hint}")
    with _load_lock:
        return _load_cached(str(path), path.stat().st_mtime_ns)


@lru_cache(maxsize=4)
def _load_cached(path_str: str, mtime_ns: int) -> TopicModel:
    from importlib.metadata import version

    path = Path(path_str)
    header = read_header(path)
    trained = str(header.get("sklearn_version", ""))
    installed = version("scikit-learn")  # read from the install's metadata: no import of scikit-learn
    if _minor(trained) != _minor(installed):
        raise ModelError(
            f"topics model {path.name} was trained with scikit-learn {trained or '?'} but {installed} "
            f"is installed; install scikit-learn=={trained} or retrain with `newsnlp topics train`"
        )
    data = path.read_bytes()
    payload = data[data.index(b"\n") + 1:]
    try:
        import warnings

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # patch-level version notes; major.minor checked above
            model = pickle.loads(zlib.decompress(payload))
    except Exception as exc:  # a truncated or foreign payload can raise almost anything
        raise ModelError(f"{path}: damaged topics model ({type(exc).__name__})") from None
    if not isinstance(model, TopicModel):
        raise ModelError(f"{path}: not a newsnlp topics model")
    return model


def _minor(version: str) -> tuple[str, ...]:
    return tuple(version.split(".")[:2])


# --------------------------------------------------------------------------- training

def train(
    records: Iterable[dict],
    *,
    threshold: float = 0.3,
    c: float = 16.0,
    class_weight: str | None = "balanced",
    secondary_weight: float = 0.5,
    nb_weight: float = 0.5,
    max_words: int = 30000,
    max_chars: int = 60000,
) -> TopicModel:
    """Fit a model on records ``{"text", "headline"?, "labels": [primary, ...], "weight"?}``.

    Any label set works (users' own taxonomies); labels of the default taxonomy keep its order.
    ``secondary_weight`` scales a record where a label is a secondary one, in that label's regression
    (primary labels then outrank secondary ones).  The primary label is chosen by the regressions'
    probabilities averaged with those of a ComplementNB on the same features (share ``nb_weight``;
    0 = regressions only).  The defaults were chosen by cross-validation on the
    training split of the default taxonomy's labels (``corpus/topics/cv_topics.py``).
    """
    import numpy as np
    import sklearn

    docs, label_sets, weights = [], [], []
    for i, r in enumerate(records):
        labels = _labels_of(r, i)
        doc = prepare(r.get("text") or "", r.get("headline") or "")
        if not doc:
            raise InputError(f"training record {i + 1} has no text or headline")
        docs.append(doc)
        label_sets.append(labels)
        weights.append(float(r.get("weight", 1.0)))
    seen = {lab for labs in label_sets for lab in labs}
    if len(seen) < 2:
        raise InputError(f"training needs at least 2 different labels, got {sorted(seen) or 'none'}")
    labels = [x for x in DEFAULT_LABELS if x in seen] + sorted(seen - set(DEFAULT_LABELS))
    features = _features(max_words, max_chars)
    x = features.fit_transform(docs)
    coef, intercept = fit_linear(x, label_sets, labels, np.asarray(weights), c=c, class_weight=class_weight,
                                 secondary_weight=secondary_weight)
    nb_coef = fit_complement_nb(x, label_sets, labels, np.asarray(weights), class_weight=class_weight) if nb_weight else None
    counts = Counter(labs[0] for labs in label_sets)
    info = {
        "trained": dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d"),
        "records": len(docs),
        "primary_counts": {lab: counts.get(lab, 0) for lab in labels},
        "features": int(x.shape[1]),
        "c": c,
        "class_weight": class_weight,
        "secondary_weight": secondary_weight,
        "nb_weight": nb_weight,
    }
    return TopicModel(labels=labels, features=features, coef=coef, intercept=intercept, threshold=threshold,
                      sklearn_version=sklearn.__version__, info=info, nb_coef=nb_coef, nb_weight=nb_weight)


def fit_complement_nb(x, label_sets: Sequence[Sequence[str]], labels: Sequence[str], sample_weight, *,
                      class_weight: str | None = "balanced", alpha: float = 0.3):
    """ComplementNB on the primary labels: its log weights as a float32 array (features x labels).

    ``class_weight="balanced"`` weights records so every primary label weighs the same in total;
    labels that are never primary get weights that rule them out.
    """
    import numpy as np
    from sklearn.naive_bayes import ComplementNB

    y = np.array([list(labels).index(labs[0]) for labs in label_sets])
    w = np.asarray(sample_weight, dtype=np.float64)
    if class_weight == "balanced":
        totals = np.bincount(y, weights=w, minlength=len(labels))
        w = w * (w.sum() / (len(totals) * np.maximum(totals, 1e-9)))[y]
    nb = ComplementNB(alpha=alpha).fit(x, y, sample_weight=w)
    coef = np.full((x.shape[1], len(labels)), -1e4, dtype=np.float32)
    coef[:, nb.classes_] = nb.feature_log_prob_.T
    return coef


def fit_linear(x, label_sets: Sequence[Sequence[str]], labels: Sequence[str], sample_weight, *, c: float,
               class_weight: str | None = "balanced", secondary_weight: float = 1.0):
    """One-vs-rest logistic regressions on feature matrix ``x``: ``(coef (features x labels), intercept)``."""
    import numpy as np
    from sklearn.linear_model import LogisticRegression

    sample_weight = np.asarray(sample_weight, dtype=np.float64)
    coef = np.zeros((x.shape[1], len(labels)), dtype=np.float32)
    intercept = np.zeros(len(labels), dtype=np.float32)
    for j, lab in enumerate(labels):
        y = np.array([lab in labs for labs in label_sets], dtype=np.int8)
        secondary = np.array([lab in labs[1:] for labs in label_sets])
        w = np.where(secondary, sample_weight * secondary_weight, sample_weight)
        lr = LogisticRegression(C=c, max_iter=2000, class_weight=class_weight, solver="liblinear", random_state=0)
        lr.fit(x, y, sample_weight=w)
        coef[:, j] = lr.coef_[0]
        intercept[j] = lr.intercept_[0]
    return coef, intercept


def _labels_of(record: dict, i: int) -> list[str]:
    labels = record.get("labels")
    if labels is None and record.get("label"):
        labels = [record["label"]]
    if isinstance(labels, str):
        labels = [x for x in re.split(r"[;|,，；]\s*", labels) if x.strip()]
    if not labels or not all(isinstance(x, str) and x.strip() for x in labels):
        raise InputError(f"training record {i + 1} has no labels (expected \"labels\": [primary, ...])")
    out: list[str] = []
    for x in labels:
        if x.strip() not in out:
            out.append(x.strip())
    return out


# --------------------------------------------------------------------------- records and data sets

def default_shared_data() -> Path:
    """``../shared/data`` beside the repository (where the public gold sets live)."""
    return Path(__file__).resolve().parent.parent.parent / "shared" / "data"


_PD_ID = re.compile(r"^(?:pd1998[:/])?(\d{8}-\d{2}-\d{3})$")
_THUC_ID = re.compile(r"^thucnews/(dev|test)/(\d+)$")


def read_records(path: str | Path, *, shared_data: str | Path | None = None, split: str | None = None) -> list[dict]:
    """Records of a JSONL or CSV file, ids joined with their texts.

    JSONL: one object per line with ``labels`` and either ``text``/``headline`` or ``id``.
    CSV: a header row with ``text`` (and optional ``headline``) and ``labels`` (``;``-separated).
    ``split`` keeps records whose ``split`` field equals it; ``"train"`` also keeps records without one.
    """
    path = Path(path)
    try:
        raw = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise InputError(f"no such file: {path}") from None
    except UnicodeDecodeError:
        raise InputError(f"{path} is not UTF-8 text") from None
    if path.suffix.lower() == ".csv":
        rows = list(csv.DictReader(io.StringIO(raw)))
        if rows and "labels" not in rows[0] and "label" not in rows[0]:
            raise InputError(f"{path}: CSV needs a 'labels' column")
    else:
        rows = []
        for n, line in enumerate(raw.splitlines(), 1):
            if line.strip():
                try:
                    rows.append(json.loads(line))
                except ValueError:
                    raise InputError(f"{path}:{n}: not a JSON object") from None
    out = []
    for n, r in enumerate(rows, 1):
        if not isinstance(r, dict):
            raise InputError(f"{path}:{n}: not a JSON object")
        want = split or None
        if want and (r.get("split") or "train") != want:
            continue
        r = dict(r)
        r["labels"] = _labels_of(r, n - 1)
        if not (r.get("text") or r.get("headline")):
            if not r.get("id"):
                raise InputError(f"{path}:{n}: record has neither text nor id")
            r.update(resolve_record(str(r["id"]), shared_data=shared_data))
        out.append(r)
    return out


def resolve_record(record_id: str, *, shared_data: str | Path | None = None) -> dict:
    """``{"headline", "text"}`` of a public-data id: a People's Daily 1998 article
    (``19980126-01-010``, date-page-article) or a THUCNews title (``thucnews/dev/17``, 1-based line)."""
    root = Path(shared_data) if shared_data else default_shared_data()
    m = _PD_ID.match(record_id)
    if m:
        articles = pd1998_articles(root)
        if m.group(1) not in articles:
            raise InputError(f"unknown People's Daily 1998 article id {record_id}")
        headline, text = articles[m.group(1)]
        return {"headline": headline, "text": text}
    m = _THUC_ID.match(record_id)
    if m:
        titles = thucnews_titles(root, m.group(1))
        line = int(m.group(2))
        if not 1 <= line <= len(titles):
            raise InputError(f"unknown THUCNews id {record_id}")
        return {"headline": titles[line - 1][0], "text": ""}
    raise InputError(f"record id {record_id!r} is neither a People's Daily 1998 id nor thucnews/<split>/<line>; give a text")


@lru_cache(maxsize=2)
def pd1998_articles(shared_data: Path) -> dict[str, tuple[str, str]]:
    """People's Daily January 1998 articles: id -> (headline, body); headline = first paragraph."""
    path = Path(shared_data) / "peoples_daily_1998_01" / "199801_entities.jsonl"
    if not path.is_file():
        raise InputError(f"People's Daily 1998 corpus not found at {path} (pass --shared-data DIR)")
    paras: dict[str, list[str]] = defaultdict(list)
    with open(path, encoding="utf-8") as f:
        for line in f:
            d = json.loads(line)
            paras[d["id"].rsplit("-", 1)[0]].append(d["text"])
    return {k: (v[0], "\n".join(v[1:])) for k, v in paras.items()}


@lru_cache(maxsize=4)
def thucnews_titles(shared_data: Path, split: str) -> list[tuple[str, int]]:
    """THUCNews headline subset rows (title, class id) of ``dev`` or ``test``."""
    path = Path(shared_data) / "thucnews_titles" / f"{split}.txt"
    if not path.is_file():
        raise InputError(f"THUCNews titles not found at {path} (pass --shared-data DIR)")
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        title, _, cls = line.rpartition("\t")
        rows.append((title, int(cls)))
    return rows


def heldout(record_id: str, *, every: int = 5) -> bool:
    """The fixed held-out rule for labelled ids: sha1(id) mod 5 == 0 (about 20%)."""
    return int(hashlib.sha1(record_id.encode("utf-8")).hexdigest(), 16) % every == 0


# --------------------------------------------------------------------------- evaluation

def evaluate(model: TopicModel, records: Sequence[dict]) -> dict:
    """Top-1 accuracy (primary prediction among the gold labels), micro/macro F1 of label sets,
    per-label figures and the confusion of primary labels."""
    if not records:
        raise InputError("no gold records to evaluate")
    predicted = model.predict_many([r.get("text") or "" for r in records], [r.get("headline") or "" for r in records])
    return score_labels([list(r["labels"]) for r in records], [[t.label for t in found] for found in predicted],
                        model.labels)


def score_labels(gold: Sequence[Sequence[str]], predicted: Sequence[Sequence[str]], labels: Sequence[str]) -> dict:
    """The figures of :func:`evaluate` from gold and predicted label lists (primary first)."""
    top1 = 0
    tp: Counter = Counter()
    fp: Counter = Counter()
    fn: Counter = Counter()
    confusion: Counter = Counter()
    for gold_labels, pred in zip(gold, predicted):
        top1 += pred[0] in gold_labels
        if pred[0] not in gold_labels:
            confusion[(gold_labels[0], pred[0])] += 1
        for lab in set(gold_labels) | set(pred):
            if lab in gold_labels and lab in pred:
                tp[lab] += 1
            elif lab in pred:
                fp[lab] += 1
            else:
                fn[lab] += 1
    labels = [x for x in labels if tp[x] + fn[x] + fp[x]] + sorted((set(tp) | set(fn) | set(fp)) - set(labels))
    per_label = {}
    for lab in labels:
        p = tp[lab] / (tp[lab] + fp[lab]) if tp[lab] + fp[lab] else 0.0
        rec = tp[lab] / (tp[lab] + fn[lab]) if tp[lab] + fn[lab] else 0.0
        f1 = 2 * p * rec / (p + rec) if p + rec else 0.0
        per_label[lab] = {"precision": round(p, 4), "recall": round(rec, 4), "f1": round(f1, 4),
                          "support": tp[lab] + fn[lab]}
    stp, sfp, sfn = sum(tp.values()), sum(fp.values()), sum(fn.values())
    micro_p = stp / (stp + sfp) if stp + sfp else 0.0
    micro_r = stp / (stp + sfn) if stp + sfn else 0.0
    gold_labels = [lab for lab in labels if per_label[lab]["support"]]
    return {
        "articles": len(gold),
        "top1_accuracy": round(top1 / len(gold), 4),
        "micro_f1": round(2 * micro_p * micro_r / (micro_p + micro_r), 4) if micro_p + micro_r else 0.0,
        "macro_f1": round(sum(per_label[lab]["f1"] for lab in gold_labels) / len(gold_labels), 4) if gold_labels else 0.0,
        "per_label": per_label,
        "confusion": [{"gold": g, "predicted": p, "count": n} for (g, p), n in confusion.most_common()],
    }


# --------------------------------------------------------------------------- discovery

_STOP = set(
    "的 了 和 是 在 也 有 与 及 等 对 为 将 把 被 从 到 由 以 而 并 或 但 就 都 又 还 这 那 其 之 于 中 上 下 个 年 月 日 "
    "一个 一些 我们 他们 今年 去年 目前 同时 进行 开展 工作 已经 可以 通过 表示 记者 本报讯 本报 报道 据 新华社 电 "
    "没有 自己 这个 这些 一批 相关 有关 方面 情况 进一步 不断 积极 全面 今天 日前 近日 以来 "
    "人们 一种 就是 这样 那样 许多 一定 非常 已经 所以 因为 如果 还是 只是 不是 可能 需要 应该 "
    "图片 图为 照片 附图 摄".split()
)


def _discovery_words(doc: str) -> list[str]:
    return [w for w in word_tokens(doc) if len(w) > 1 and w not in _STOP]


def discover(
    items: Iterable[tuple[str, str, str | None]],
    *,
    k: int = 20,
    top_words: int = 10,
    seed: int = 0,
) -> list[dict]:
    """Fit NMF with ``k`` topics over ``(headline, text, publication_date)`` items.

    Returns one dict per topic, largest first: ``{"topic", "top_words", "articles", "by_month"}``;
    each article counts for its strongest topic, by ``YYYY-MM`` of its date (``unknown`` without one).
    """
    import warnings

    import numpy as np
    from sklearn.decomposition import NMF
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.feature_extraction.text import TfidfVectorizer

    items = list(items)
    if k < 1:
        raise InputError("-k must be at least 1")
    if len(items) < k:
        raise InputError(f"{len(items)} articles are too few for {k} topics (lower -k)")
    docs = [_squash(h) + "。" + _squash(t) for h, t, _ in items]
    vec = TfidfVectorizer(analyzer=_discovery_words, sublinear_tf=True, min_df=2 if len(items) >= 50 else 1,
                          max_df=0.5 if len(items) >= 20 else 1.0, max_features=20000)
    try:
        x = vec.fit_transform(docs)
    except ValueError:
        raise InputError("the articles have no words to fit topics on") from None
    k = min(k, x.shape[1])
    nmf = NMF(n_components=k, init="nndsvd", random_state=seed, max_iter=1000)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)  # tiny or repetitive archives; topics are still usable
        w = nmf.fit_transform(x)
    vocab = np.array(vec.get_feature_names_out())
    strongest = w.argmax(axis=1)
    has_topic = w.max(axis=1) > 0
    by_month: list[Counter] = [Counter() for _ in range(k)]
    for i, (_, _, date) in enumerate(items):
        if has_topic[i]:
            by_month[strongest[i]][(date or "")[:7] or "unknown"] += 1
    topics = []
    for j in range(k):
        top = vocab[np.argsort(-nmf.components_[j])[:top_words]].tolist()
        topics.append({"topic": j + 1, "top_words": top, "articles": sum(by_month[j].values()),
                       "by_month": dict(sorted(by_month[j].items()))})
    topics.sort(key=lambda t: -t["articles"])
    for n, t in enumerate(topics, 1):
        t["topic"] = n
    return topics


def archive_items(archive: str | Path) -> Iterator[tuple[str, str, str | None]]:
    """``(headline, text, publication_date)`` of every article in an archive."""
    from newsnlp.store import PageStore

    for page, article in PageStore(archive).iter_articles():
        yield article.title, article.text, page.publication_date
