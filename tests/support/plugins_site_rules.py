"""The rule set plugins.qgis.org applies to an uploaded plugin (its security-rules page, as of
July 2026): the enabled codes of each scanner and whether a developer may skip them at upload.

Every enabled rule is reported on the site; "mandatory" ones cannot be skipped. We treat every
enabled rule as blocking (we skip none). Disabled rules (Bandit B109, B404, B410, B411; flake8
style codes; detect-secrets IPPublicDetector) are not run, as on the site."""

BANDIT = {
    "B101": "skippable",  # Assert used
    "B102": "mandatory",  # Exec used
    "B103": "mandatory",  # Set bad file permissions
    "B104": "skippable",  # Hardcoded bind all interfaces
    "B105": "mandatory",  # Hardcoded password string
    "B106": "mandatory",  # Hardcoded password function argument
    "B107": "mandatory",  # Hardcoded password default
    "B108": "skippable",  # Hardcoded temp directory
    "B110": "skippable",  # Try/except/pass
    "B111": "mandatory",  # Execute with run_as_root=True
    "B112": "skippable",  # Try/except/continue
    "B113": "skippable",  # Request without timeout
    "B201": "mandatory",  # Flask debug=True
    "B202": "mandatory",  # Tarfile unsafe members
    "B301": "mandatory",  # Pickle usage
    "B302": "mandatory",  # Marshal usage
    "B303": "skippable",  # MD5/SHA1 hash function
    "B304": "mandatory",  # Insecure cipher
    "B305": "mandatory",  # Insecure cipher mode
    "B306": "mandatory",  # Insecure mktemp
    "B307": "mandatory",  # Eval used
    "B308": "skippable",  # Mark_safe used
    "B310": "skippable",  # urllib urlopen
    "B311": "skippable",  # Random module used
    "B312": "mandatory",  # Telnetlib usage
    "B313": "skippable",  # XML bad cElementTree
    "B314": "skippable",  # XML bad ElementTree
    "B315": "skippable",  # XML bad expatreader
    "B316": "skippable",  # XML bad expatbuilder
    "B317": "skippable",  # XML bad sax
    "B318": "skippable",  # XML bad minidom
    "B319": "skippable",  # XML bad pulldom
    "B320": "skippable",  # XML bad etree
    "B321": "mandatory",  # FTP usage
    "B323": "mandatory",  # Unverified SSL context
    "B324": "skippable",  # Insecure hash function (hashlib)
    "B401": "mandatory",  # Import telnetlib
    "B402": "mandatory",  # Import ftplib
    "B403": "skippable",  # Import pickle
    "B405": "skippable",  # Import xml.etree
    "B406": "skippable",  # Import xml.sax
    "B407": "skippable",  # Import xml.dom.expatbuilder
    "B408": "skippable",  # Import xml.dom.minidom
    "B409": "skippable",  # Import xml.dom.pulldom
    "B412": "mandatory",  # Import httpoxy vulnerable module
    "B413": "mandatory",  # Import pycrypto
    "B501": "mandatory",  # Request with no cert validation
    "B502": "mandatory",  # SSL with bad version
    "B503": "mandatory",  # SSL with bad defaults
    "B504": "skippable",  # SSL with no version
    "B505": "mandatory",  # Weak cryptographic key
    "B506": "mandatory",  # yaml.load() used
    "B507": "mandatory",  # SSH no host key verification
    "B508": "skippable",  # SNMP insecure version
    "B509": "skippable",  # SNMP weak cryptography
    "B601": "mandatory",  # Paramiko shell=True
    "B602": "mandatory",  # subprocess.Popen with shell=True
    "B603": "skippable",  # subprocess without shell=True
    "B604": "mandatory",  # Function call with shell=True
    "B605": "mandatory",  # Start process with a shell
    "B606": "skippable",  # Start process with no shell
    "B607": "skippable",  # Start process with partial path
    "B608": "skippable",  # Hardcoded SQL expression
    "B609": "mandatory",  # Linux wildcard injection
    "B610": "mandatory",  # Django extra() used
    "B611": "mandatory",  # Django RawSQL used
    "B612": "mandatory",  # Logging config insecure listen
    "B613": "mandatory",  # Trojan Source
    "B614": "skippable",  # PyTorch unsafe load
    "B615": "mandatory",  # HuggingFace unsafe download
    "B701": "mandatory",  # Jinja2 autoescape=False
    "B702": "skippable",  # Mako templates used
    "B703": "skippable",  # Django mark_safe
    "B704": "skippable",  # MarkupSafe Markup XSS
}

FLAKE8 = {
    "E101": "skippable",  # Indentation contains mixed spaces and tabs
    "E711": "skippable",  # Comparison to None using ==
    "E712": "skippable",  # Comparison to True/False using ==
    "E713": "skippable",  # Test for membership should use 'not in'
    "E714": "skippable",  # Test for identity should use 'is not'
    "E721": "skippable",  # Type comparison using ==
    "E722": "skippable",  # Bare except clause
    "E731": "skippable",  # Lambda assignment
    "E741": "skippable",  # Ambiguous variable name
    "E742": "skippable",  # Ambiguous class name
    "E743": "skippable",  # Ambiguous function name
    "E901": "mandatory",  # SyntaxError or IndentationError
    "E902": "mandatory",  # IOError
    "E999": "mandatory",  # SyntaxError
    "W605": "skippable",  # Invalid escape sequence
    "F402": "skippable",  # Import shadowed by loop variable
    "F403": "skippable",  # Star import used
    "F404": "skippable",  # Future import after other statements
    "F405": "skippable",  # Name may be from star import
    "F811": "skippable",  # Redefinition of unused name
    "F821": "mandatory",  # Undefined name
    "F822": "skippable",  # Undefined name in __all__
    "F823": "mandatory",  # Local variable referenced before assignment
    "F831": "mandatory",  # Duplicate argument in function definition
    "F901": "skippable",  # 'raise NotImplemented' should be 'raise NotImplementedError'
    "C901": "skippable",  # Function too complex
}

SECRETS_DISABLED = {"IPPublicDetector"}
SECRETS_ENABLED = {
    "ArtifactoryDetector": "mandatory",
    "AWSKeyDetector": "mandatory",
    "AzureStorageKeyDetector": "mandatory",
    "BasicAuthDetector": "mandatory",
    "CloudantDetector": "mandatory",
    "DiscordBotTokenDetector": "mandatory",
    "GitHubTokenDetector": "mandatory",
    "GitLabTokenDetector": "mandatory",
    "Base64HighEntropyString": "skippable",
    "HexHighEntropyString": "skippable",
    "IbmCloudIamDetector": "mandatory",
    "IbmCosHmacDetector": "mandatory",
    "JwtTokenDetector": "mandatory",
    "KeywordDetector": "skippable",
    "MailchimpDetector": "mandatory",
    "NpmDetector": "mandatory",
    "OpenAIDetector": "mandatory",
    "PrivateKeyDetector": "mandatory",
    "PypiTokenDetector": "mandatory",
    "SendGridDetector": "mandatory",
    "SlackDetector": "mandatory",
    "SoftlayerDetector": "mandatory",
    "SquareOAuthDetector": "mandatory",
    "StripeDetector": "mandatory",
    "TelegramBotTokenDetector": "mandatory",
    "TwilioKeyDetector": "mandatory",
}
