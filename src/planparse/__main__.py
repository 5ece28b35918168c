from .cli import main

# Guarded: batch worker processes start from a fork server that imports the main module.
if __name__ == "__main__":
    main()
