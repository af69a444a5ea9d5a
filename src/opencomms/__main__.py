from opencomms.cli import main

main()
