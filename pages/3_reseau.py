import streamlit as st

from ui import state

st.title("3_reseau")
st.write(state.selection().filters)
